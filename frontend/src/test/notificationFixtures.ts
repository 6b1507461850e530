/** Test data for the inbox (wire shapes, as the API sends them). */
import type { InboxItem, NotificationChannels, UserSummary } from "../api/types";
import { grace } from "./communityFixtures";
import { POST_ID } from "./postFixtures";

export const aiko: UserSummary = {
  id: "4b3a2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d",
  handle: "aiko",
  display_name: "Aiko Tanaka",
  title: null,
  avatar_url: null,
};

export const ANSWER_ID = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d";

/** Ids are time-ordered: a later notification sorts after an earlier one. */
export function inboxItem(overrides: Partial<InboxItem> = {}): InboxItem {
  return {
    id: "01938f00-0000-7000-8000-000000000001",
    kind: "comment_on_post",
    reason: "asked",
    actor: aiko,
    actors: [aiko],
    count: 1,
    // The server titles a line with its latest event's sentence.
    subject: { type: "post", id: POST_ID, title: "Aiko Tanaka answered: How do we review a data model?", url: `/posts/${POST_ID}` },
    link: `/posts/${POST_ID}#comment-${ANSWER_ID}`,
    post_id: POST_ID,
    comment_id: ANSWER_ID,
    mentorship_id: null,
    community_id: "9a4f1e2d-6c3b-4a5e-8f70-1b2c3d4e5f60",
    created_at: "2026-12-01T10:00:00Z",
    read_at: null,
    ...overrides,
  };
}

/** Aiko, Grace and one more person answered the same question: one grouped line. */
export function groupedAnswers(overrides: Partial<InboxItem> = {}): InboxItem {
  return inboxItem({ actors: [aiko, grace], count: 3, ...overrides });
}

export function channels(kind: NotificationChannels["kind"], overrides: Partial<NotificationChannels> = {}): NotificationChannels {
  return { kind, in_app: true, email: false, push: false, ...overrides };
}

/**
 * A stand-in for the browser's EventSource (jsdom has none): tests open it through the app and
 * then play the server's part with `emit`, `open` and `fail`.
 */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly url: string;
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  private listeners = new Map<string, ((event: Event) => void)[]>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }

  static latest(): FakeEventSource {
    const last = FakeEventSource.instances.at(-1);
    if (!last) throw new Error("no EventSource was opened");
    return last;
  }

  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.onopen?.(new Event("open"));
  }

  emit(type: string, data: unknown, id?: string): void {
    const event = new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id ?? "" });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  fail(): void {
    this.onerror?.(new Event("error"));
  }
}
