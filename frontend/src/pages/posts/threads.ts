import type { PostComment } from "../../api/types";

export interface Thread {
  comment: PostComment;
  replies: PostComment[];
}

/** Top-level comments with their replies, oldest first. A reply whose parent is gone stands alone. */
export function threadsOf(comments: readonly PostComment[]): Thread[] {
  const threads: Thread[] = [];
  const byId = new Map<string, Thread>();
  for (const comment of comments) {
    const parent = comment.parent_id === null ? undefined : byId.get(comment.parent_id);
    if (parent) {
      parent.replies.push(comment);
      continue;
    }
    const thread = { comment, replies: [] };
    threads.push(thread);
    byId.set(comment.id, thread);
  }
  return threads;
}
