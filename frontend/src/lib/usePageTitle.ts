import { useEffect } from "react";

/** Sets the document title as "<page> · Leaderful" while the page is shown. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Leaderful` : "Leaderful";
  }, [title]);
}
