"""Helpers for community tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.helpers import Account

PURPOSE = "Share what we learn about running reliable services at scale."


async def create_community(
    client: httpx.AsyncClient, owner: Account, name: str = "Reliability Guild", **fields: Any
) -> dict[str, Any]:
    body = {"name": name, "purpose": PURPOSE, **fields}
    response = await client.post("/communities", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def join(client: httpx.AsyncClient, who: Account, slug: str) -> httpx.Response:
    return await client.post(f"/communities/{slug}/members", headers=who.headers)


async def make_role(
    client: httpx.AsyncClient, steward: Account, slug: str, who: Account, role: str
) -> None:
    response = await client.patch(
        f"/communities/{slug}/members/{who.handle}", json={"role": role}, headers=steward.headers
    )
    assert response.status_code == 200, response.text
