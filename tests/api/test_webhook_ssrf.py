"""Webhook receivers must be public https URLs (the instance does not set
LEADERFUL_WEBHOOK_ALLOW_PRIVATE): loopback, private, link-local, multicast and cloud metadata
targets are refused with a 422 at body.url, on create and on update, and a delivery whose name
now resolves inside is not sent. The request goes to the address that was checked."""

from __future__ import annotations

import httpx
import pytest

from api.webhooks.transport import HttpxSender, WebhookUrls
from domain.errors import ValidationFailed
from domain.webhooks.ports import OutgoingMessage
from tests.helpers import assert_problem, register
from tests.webhook_helpers import Receiver

REFUSED = [
    "http://example.com/hooks",  # http needs the allow-private setting
    "ftp://example.com/hooks",
    "https://127.0.0.1/hooks",
    "https://localhost/hooks",
    "https://[::1]/hooks",
    "https://10.1.2.3/hooks",
    "https://192.168.0.10/hooks",
    "https://172.16.0.1/hooks",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://224.0.0.1/hooks",
    "https://0.0.0.0/hooks",
    "https://user:password@example.com/hooks",
    "https:///hooks",
    "not a url",
]


@pytest.mark.parametrize("url", REFUSED)
async def test_a_receiver_inside_or_not_https_is_refused_at_body_url(
    client: httpx.AsyncClient, url: str
) -> None:
    admin = await register(client, "Ada Admin")
    r = await client.post(
        "/webhooks", json={"url": url, "event_types": ["post.created"]}, headers=admin.headers
    )
    problem = assert_problem(r, 422)
    assert problem["errors"][0]["loc"] == ["body", "url"], problem
    assert (await client.get("/webhooks", headers=admin.headers)).json()["items"] == []


async def test_an_update_to_a_private_address_is_refused(client: httpx.AsyncClient) -> None:
    admin = await register(client, "Ada Admin")
    r = await client.post(
        "/webhooks",
        json={"url": "https://93.184.215.14/hooks", "event_types": ["post.created"]},
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    r = await client.patch(
        f"/webhooks/{r.json()['id']}", json={"url": "https://127.0.0.1/x"}, headers=admin.headers
    )
    assert assert_problem(r, 422)["errors"][0]["loc"] == ["body", "url"]


def resolver(table: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


async def test_a_name_resolving_inside_even_once_is_refused() -> None:
    urls = WebhookUrls(
        allow_private=False,
        resolver=resolver(
            {
                "hooks.example.com": ["93.184.215.14"],
                "rebind.example.com": ["93.184.215.14", "127.0.0.1"],
                "meta.example.com": ["169.254.169.254"],
            }
        ),
    )
    target = await urls.resolve("https://hooks.example.com/in")
    assert str(target.ip) == "93.184.215.14" and target.host_header == "hooks.example.com"
    for url in ("https://rebind.example.com/", "https://meta.example.com/", "https://nx.test/"):
        with pytest.raises(ValidationFailed) as refused:
            await urls.resolve(url)
        assert refused.value.field == "url"
    # Allowing private targets never allows the metadata service.
    lenient = WebhookUrls(
        allow_private=True, resolver=resolver({"meta.example.com": ["169.254.169.254"]})
    )
    with pytest.raises(ValidationFailed):
        await lenient.resolve("http://meta.example.com/")


async def test_the_request_goes_to_the_checked_address_with_the_host_name() -> None:
    """The name exists only in this resolver: a second (system) lookup would fail, so a
    delivery proves that the connection went to the address that was checked."""
    receiver = await Receiver().start()
    sender = HttpxSender(
        WebhookUrls(
            allow_private=True, resolver=resolver({"receiver.leaderful.test": ["127.0.0.1"]})
        )
    )
    try:
        result = await sender.send(
            OutgoingMessage(
                url=f"http://receiver.leaderful.test:{receiver.port}/hooks",
                message_id="msg_1",
                body='{"type":"webhook.ping"}',
                secrets=["whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            )
        )
        assert result.ok, result
        [message] = receiver.received
        assert message.headers["host"] == f"receiver.leaderful.test:{receiver.port}"
        assert message.headers["webhook-id"] == "msg_1"
        # Refused at delivery too: the sender checks again before it connects.
        strict = HttpxSender(WebhookUrls(allow_private=False))
        refused = await strict.send(
            OutgoingMessage(
                url=receiver.url.replace("http:", "https:"), message_id="m", body="{}", secrets=[]
            )
        )
        assert refused.status_code is None and refused.error and "loopback" in refused.error
        assert len(receiver.received) == 1
        await strict.close()
    finally:
        await sender.close()
        await receiver.stop()


async def test_redirects_are_not_followed() -> None:
    receiver = Receiver(status=307)
    await receiver.start()
    sender = HttpxSender(WebhookUrls(allow_private=True))
    try:
        result = await sender.send(
            OutgoingMessage(url=receiver.url, message_id="m", body="{}", secrets=[])
        )
        assert result.status_code == 307 and not result.ok
        assert len(receiver.received) == 1
    finally:
        await sender.close()
        await receiver.stop()
