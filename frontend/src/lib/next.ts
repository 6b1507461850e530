const AUTH_PAGES = new Set(["/signin", "/register"]);
const PLACEHOLDER_ORIGIN = "https://leaderful.invalid";

/**
 * The in-app path to go to after signing in, from an untrusted `?next=` value.
 * Only same-origin paths are accepted (no `//evil.example`, no `https://…`, no `javascript:`),
 * and never the sign-in or register pages themselves.
 */
export function safeNext(value: string | null | undefined): string | null {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN || AUTH_PAGES.has(url.pathname)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/signin`, with `?next=` pointing back at `path` unless that is the home page. */
export function signInPath(path: string): string {
  const next = safeNext(path);
  return next && next !== "/" ? `/signin?next=${encodeURIComponent(next)}` : "/signin";
}
