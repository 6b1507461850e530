import { act, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { InfiniteData } from "@tanstack/react-query";
import type { InboxItem, Page } from "../api/types";
import { json, mockApi, problem, type MockApi } from "../test/fetchMock";
import { asSignedIn, renderApp } from "../test/renderApp";
import { page } from "../test/communityFixtures";
import { FakeEventSource, aiko, groupedAnswers, inboxItem } from "../test/notificationFixtures";
import { grace } from "../test/communityFixtures";
import { notificationKeys } from "../queries/notifications";

const TICKET = "/api/v1/me/notifications/stream-ticket";
const COUNT = "/api/v1/me/notifications/unread-count";

function withStream(api: MockApi): MockApi {
  let n = 0;
  return api.on("POST", TICKET, () => {
    n += 1;
    return json(201, { ticket: `ticket-${n}`, expires_at: "2026-12-01T10:01:00Z" });
  });
}

describe("notification bell", () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows the unread count in its name and opens the notifications page", async () => {
    asSignedIn(mockApi())
      .on("GET", COUNT, () => json(200, { unread: 3 }))
      .on("GET", "/api/v1/me/notifications", () => json(200, page([])));
    const { user } = renderApp("/");

    const bell = await screen.findByRole("link", { name: "Notifications, 3 unread" });
    expect(bell).toHaveTextContent("3");
    await user.click(bell);
    expect(await screen.findByRole("heading", { level: 1, name: "Notifications" })).toBeInTheDocument();
  });

  it("is just “Notifications” when nothing is unread", async () => {
    asSignedIn(mockApi());
    renderApp("/");
    expect(await screen.findByRole("link", { name: "Notifications" })).not.toHaveTextContent(/\d/);
  });

  it("follows the live stream: the count and the inbox change without a reload", async () => {
    vi.stubGlobal("EventSource", FakeEventSource);
    const api = withStream(asSignedIn(mockApi()));
    const { queryClient } = renderApp("/");

    await waitFor(() => {
      expect(FakeEventSource.instances).toHaveLength(1);
    });
    const stream = FakeEventSource.latest();
    expect(stream.url).toBe(`${window.location.origin}/api/v1/me/notifications/stream?ticket=ticket-1`);
    expect(api.callsTo("POST", TICKET)[0]?.headers.get("Authorization")).toBe("Bearer access-1");

    // A loaded inbox list gets the new line on top; the line it joins (same kind and subject) goes.
    const older = inboxItem({ id: "01938e00-0000-7000-8000-000000000001" });
    queryClient.setQueryData<InfiniteData<Page<InboxItem>, string | null>>(notificationKeys.list(false), {
      pages: [page([older])],
      pageParams: [null],
    });

    act(() => {
      stream.open();
      stream.emit("unread_count", { unread: 2 });
    });
    expect(await screen.findByRole("link", { name: "Notifications, 2 unread" })).toBeInTheDocument();

    const joined = groupedAnswers({ id: "01938f00-0000-7000-8000-000000000002", actors: [grace, aiko], count: 2 });
    act(() => {
      stream.emit("notification", joined, joined.id);
      stream.emit("unread_count", { unread: 3 });
    });
    expect(await screen.findByRole("link", { name: "Notifications, 3 unread" })).toBeInTheDocument();
    const list = queryClient.getQueryData<InfiniteData<Page<InboxItem>, string | null>>(notificationKeys.list(false));
    expect(list?.pages[0]?.items.map((item) => item.id)).toEqual([joined.id]);
    // While the stream is open, the count is not polled.
    expect(api.callsTo("GET", COUNT)).toHaveLength(1);
  });

  it("reconnects with a fresh ticket after an error", async () => {
    vi.stubGlobal("EventSource", FakeEventSource);
    const api = withStream(asSignedIn(mockApi()));
    renderApp("/");

    await waitFor(() => {
      expect(FakeEventSource.instances).toHaveLength(1);
    });
    const first = FakeEventSource.latest();
    act(() => {
      first.open();
      first.fail();
    });
    expect(first.closed).toBe(true);

    await waitFor(
      () => {
        expect(FakeEventSource.instances).toHaveLength(2);
      },
      { timeout: 4000 },
    );
    expect(FakeEventSource.latest().url).toContain("ticket=ticket-2");
    expect(api.callsTo("POST", TICKET)).toHaveLength(2);
  });

  it("keeps working without a stream (the server has none yet)", async () => {
    vi.stubGlobal("EventSource", FakeEventSource);
    asSignedIn(mockApi())
      .on("GET", COUNT, () => json(200, { unread: 4 }))
      .on("POST", TICKET, () => problem(404, { title: "Not Found" }));
    renderApp("/");

    expect(await screen.findByRole("link", { name: "Notifications, 4 unread" })).toBeInTheDocument();
    expect(FakeEventSource.instances).toHaveLength(0);
  });
});
