/**
 * The API sends each hit's `snippet` as escaped text with `<mark>` around the matches. It is
 * rendered as HTML; as a second line of defence, any `<` that doesn't open or close a bare
 * `<mark>` is escaped here, so nothing but highlighting can ever reach the page.
 */
export function safeSnippet(html: string): string {
  return html.replace(/<(?!\/?mark>)/gi, "&lt;");
}
