"""The `leaderful` command against the database under test."""

from __future__ import annotations

from fastapi import FastAPI
from typer.testing import CliRunner

from api.cli import app as cli
from api.seed import DEMO_PASSWORD

runner = CliRunner()


def test_seed_then_create_admin(app: FastAPI, database_url: str, monkeypatch):
    monkeypatch.setenv("LEADERFUL_DATABASE_URL", database_url)
    first = runner.invoke(cli, ["seed", "--users", "3", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "seeded 3 demo people" in first.output and DEMO_PASSWORD in first.output
    again = runner.invoke(cli, ["seed", "--if-empty"])
    assert "nothing seeded" in again.output
    promoted = runner.invoke(
        cli,
        [
            "create-admin",
            "--email",
            "Bruno.Costa@demo.leaderful.dev",
            "--display-name",
            "x",
            "--password",
            "unused-password-1",
        ],
    )
    assert promoted.exit_code == 0, promoted.output
    assert "promoted" in promoted.output
    created = runner.invoke(
        cli,
        [
            "create-admin",
            "--email",
            "ops@example.com",
            "--display-name",
            "Ops",
            "--password",
            "a-strong-admin-pass",
        ],
    )
    assert created.exit_code == 0, created.output
    assert "administrator created" in created.output
    weak = runner.invoke(
        cli,
        [
            "create-admin",
            "--email",
            "ops2@example.com",
            "--display-name",
            "Ops",
            "--password",
            "password123",
        ],
    )
    assert weak.exit_code != 0


def test_openapi_command_writes_the_document(tmp_path):
    target = tmp_path / "openapi.json"
    result = runner.invoke(cli, ["openapi", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert '"operationId": "getMe"' in target.read_text()


def test_help_lists_the_commands():
    result = runner.invoke(cli, ["--help"])
    for command in ("serve", "migrate", "seed", "openapi", "create-admin"):
        assert command in result.output


def test_the_worker_needs_a_broker(app: FastAPI, database_url: str, monkeypatch):
    monkeypatch.setenv("LEADERFUL_DATABASE_URL", database_url)
    monkeypatch.delenv("LEADERFUL_BROKER_URL", raising=False)
    result = runner.invoke(cli, ["worker"])
    assert result.exit_code == 2
    assert "LEADERFUL_BROKER_URL" in result.output
