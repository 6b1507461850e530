import { useCallback, useEffect, useRef, useState } from "react";
import { uploadFile } from "../../api/client";
import { ApiError, NetworkError } from "../../api/errors";
import type { Attachment } from "../../api/types";
import { UPLOAD_MAX_BYTES, formatBytes } from "./uploads";

export interface PendingUpload {
  key: string;
  name: string;
  /** 0–1 while sending; 1 while the server checks and stores it. */
  progress: number;
  error?: string;
}

function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 413) return "This file is too large.";
    if (error.status === 415) return "This type of file can’t be attached: use an image (PNG, JPEG, GIF, WebP), PDF, text, CSV or an Office/OpenDocument file.";
    if (error.status === 429) return "Too many uploads at once; wait a moment and try again.";
    return error.problem.detail ?? "The upload failed.";
  }
  if (error instanceof NetworkError) return "The upload could not reach the server. Check your connection and try again.";
  return "The upload failed.";
}

let counter = 0;

/** Pasted images have no useful name: give them one. */
function nameOf(file: File): string {
  if (file.name && file.name !== "image.png") return file.name;
  const extension = file.type.split("/")[1] ?? "png";
  return `pasted-image-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.${extension}`;
}

/**
 * Sends files to `POST /uploads` one request each, in parallel, and tracks their progress;
 * each finished upload is handed to `onUploaded`. Unmounting cancels what is still sending.
 */
export function useUploads(onUploaded: (attachment: Attachment) => void) {
  const [pending, setPending] = useState<PendingUpload[]>([]);
  const controllers = useRef(new Set<AbortController>());
  const uploaded = useRef(onUploaded);
  useEffect(() => {
    uploaded.current = onUploaded;
  }, [onUploaded]);

  useEffect(() => {
    const live = controllers.current;
    return () => {
      for (const controller of live) controller.abort();
    };
  }, []);

  const update = useCallback((key: string, change: Partial<PendingUpload>) => {
    setPending((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const upload = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) {
        const key = `upload-${++counter}`;
        const name = nameOf(file);
        if (file.size > UPLOAD_MAX_BYTES) {
          setPending((all) => [...all, { key, name, progress: 0, error: `This file is larger than ${formatBytes(UPLOAD_MAX_BYTES)}.` }]);
          continue;
        }
        setPending((all) => [...all, { key, name, progress: 0 }]);
        const controller = new AbortController();
        controllers.current.add(controller);
        uploadFile(
          file,
          name,
          (fraction) => {
            update(key, { progress: fraction });
          },
          controller.signal,
        )
          .then((attachment) => {
            setPending((all) => all.filter((item) => item.key !== key));
            uploaded.current(attachment);
          })
          .catch((error: unknown) => {
            if (controller.signal.aborted) return;
            update(key, { error: messageFor(error) });
          })
          .finally(() => {
            controllers.current.delete(controller);
          });
      }
    },
    [update],
  );

  const dismiss = useCallback((key: string) => {
    setPending((all) => all.filter((item) => item.key !== key));
  }, []);

  const busy = pending.some((item) => !item.error);
  return { pending, upload, dismiss, busy };
}
