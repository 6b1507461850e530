import { useEffect, useMemo, useRef, type MouseEvent } from "react";
import { useNavigate } from "react-router";
import { fetchUpload } from "../../api/client";
import { UPLOAD_PATH, deferUploadImages } from "./uploads";

/**
 * A post's or comment's sanitized HTML. Images of this instance's uploads are loaded with the
 * bearer token (their address alone would be refused) and shown from object URLs. Links to
 * this app's own pages (a mention's `/people/<handle>`) open inside the app, without a reload.
 */
export function ProseHtml({ html, className }: { html: string; className: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const deferred = useMemo(() => deferUploadImages(html), [html]);
  const navigate = useNavigate();

  function onClick(event: MouseEvent<HTMLDivElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.target instanceof Element ? event.target.closest("a") : null;
    const href = anchor?.getAttribute("href") ?? "";
    if (!href.startsWith("/") || href.startsWith("//") || href.startsWith("/api/")) return;
    event.preventDefault();
    void navigate(href);
  }

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const controller = new AbortController();
    const urls: string[] = [];
    for (const image of root.querySelectorAll<HTMLImageElement>("img[data-upload-src]")) {
      const source = image.dataset.uploadSrc ?? "";
      if (!UPLOAD_PATH.test(source)) continue;
      fetchUpload(source, controller.signal)
        .then((blob) => {
          const url = URL.createObjectURL(blob);
          urls.push(url);
          image.src = url;
        })
        .catch(() => {
          if (!controller.signal.aborted) image.classList.add("upload-image--failed");
        });
    }
    return () => {
      controller.abort();
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [deferred]);

  // The click handler only routes clicks on links, which stay keyboard-operable on their own.
  return <div ref={ref} className={className} onClick={onClick} dangerouslySetInnerHTML={{ __html: deferred }} />;
}
