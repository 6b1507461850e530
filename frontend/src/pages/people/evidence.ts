const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The post id in what someone pasted: a bare id, or any link that contains one
 * (`https://leaderful.example/posts/3f0c…`). Null when there is none.
 */
export function postIdFrom(text: string): string | null {
  const match = UUID.exec(text.trim());
  return match ? match[0].toLowerCase() : null;
}

/** Where the SPA shows a post. */
export function postPath(id: string): string {
  return `/posts/${id}`;
}
