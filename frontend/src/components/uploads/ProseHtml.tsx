import { useEffect, useMemo, useRef } from "react";
import { fetchUpload } from "../../api/client";
import { UPLOAD_PATH, deferUploadImages } from "./uploads";

/**
 * A post's or comment's sanitized HTML. Images of this instance's uploads are loaded with the
 * bearer token (their address alone would be refused) and shown from object URLs.
 */
export function ProseHtml({ html, className }: { html: string; className: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const deferred = useMemo(() => deferUploadImages(html), [html]);

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

  return <div ref={ref} className={className} dangerouslySetInnerHTML={{ __html: deferred }} />;
}
