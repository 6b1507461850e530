"""Units of work: reads run without a transaction and cannot write; writes are one transaction."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from fastapi import FastAPI

from repositories.unit_of_work import SqlUnitOfWork
from tests.helpers import register


async def test_a_read_only_unit_of_work_refuses_to_commit(app: FastAPI):
    async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:
        assert await uow.users.get(uuid.uuid4()) is None
        with pytest.raises(RuntimeError, match="read-only"):
            await uow.commit()


async def test_reads_see_committed_writes_only(app: FastAPI, client):
    user_id = uuid.UUID((await register(client, "Ada Reader")).id)

    async def name_read() -> str:
        async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as reader:
            user = await reader.users.get(user_id)
        assert user is not None
        return user.display_name

    async def rename(name: str, *, commit: bool) -> None:
        async with SqlUnitOfWork(app.state.session_factory) as writer:
            user = await writer.users.get(user_id)
            assert user is not None
            await writer.users.update(replace(user, display_name=name))
            if commit:
                await writer.commit()
            else:
                await writer.rollback()

    assert await name_read() == "Ada Reader"
    await rename("Never saved", commit=False)
    assert await name_read() == "Ada Reader"
    await rename("Ada Writer", commit=True)
    assert await name_read() == "Ada Writer"
