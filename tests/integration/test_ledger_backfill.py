"""The demo data has a leadership ledger: the loader derives the acts of the rows it writes
(communities started, steward terms, best practices, accepted answers, endorsements with
evidence), and deriving them again adds nothing."""

from __future__ import annotations

from collections import Counter

from fastapi import FastAPI
from sqlalchemy import text

from repositories.leadership.backfill import backfill_statements
from tests.integration.test_seed import _rows, _seed


async def test_seeded_world_has_a_ledger_and_backfill_is_idempotent(
    app: FastAPI, database_url: str, tmp_path
):
    await _seed(app, database_url, tmp_path)
    acts = await _rows(app, "SELECT kind, person_id, subject_id FROM leadership_act")
    by_kind = Counter(kind for kind, _, _ in acts)
    (communities,) = (await _rows(app, "SELECT count(*) FROM community"))[0]
    assert by_kind["community_started"] == communities
    assert by_kind["steward_term"] >= communities
    (practices,) = (
        await _rows(
            app,
            "SELECT count(*) FROM post WHERE kind = 'best_practice' AND deleted_at IS NULL",
        )
    )[0]
    assert by_kind["best_practice_published"] == practices
    (accepted,) = (
        await _rows(
            app,
            "SELECT count(*) FROM post p JOIN comment c ON c.id = p.accepted_comment_id"
            " WHERE p.deleted_at IS NULL AND c.deleted_at IS NULL AND c.author_id != p.author_id",
        )
    )[0]
    assert by_kind["answer_accepted"] == accepted > 0
    async with app.state.engine.begin() as connection:
        for statement in backfill_statements(connection.dialect.name):
            await connection.execute(statement)
        again = (await connection.execute(text("SELECT count(*) FROM leadership_act"))).scalar()
    assert again == len(acts)
