import { useState } from "react";
import { fetchUpload } from "../../api/client";
import type { Attachment } from "../../api/types";
import { Button } from "../Button";
import { UploadImage } from "./UploadImage";
import { formatBytes, isImage } from "./uploads";

/** Saves an upload under its name: fetched with the bearer token, then handed to the browser. */
async function download(attachment: Attachment): Promise<void> {
  const blob = await fetchUpload(attachment.url);
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = attachment.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(href);
  }, 10_000);
}

function FileItem({ attachment }: { attachment: Attachment }) {
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  return (
    <li className="attachments__file">
      <Button
        variant="secondary"
        size="sm"
        loading={state === "busy"}
        aria-label={`Download ${attachment.filename} (${formatBytes(attachment.size)})`}
        onClick={() => {
          setState("busy");
          download(attachment).then(
            () => {
              setState("idle");
            },
            () => {
              setState("failed");
            },
          );
        }}
      >
        {attachment.filename}
      </Button>
      <span className="attachments__size">{formatBytes(attachment.size)}</span>
      {state === "failed" && (
        <span className="field__error" role="alert">
          The download failed; try again.
        </span>
      )}
    </li>
  );
}

/** The files attached to a post or comment: images as thumbnails, documents as downloads. */
export function AttachmentList({ attachments }: { attachments: readonly Attachment[] }) {
  if (attachments.length === 0) return null;
  const images = attachments.filter(isImage);
  const files = attachments.filter((attachment) => !isImage(attachment));
  return (
    <section className="attachments" aria-label="Attachments">
      {images.length > 0 && (
        <ul className="attachments__images">
          {images.map((attachment) => (
            <li key={attachment.id}>
              <figure className="attachments__figure">
                <UploadImage url={attachment.thumbnail_url ?? attachment.url} alt={attachment.filename} loading="lazy" />
                <figcaption>{attachment.filename}</figcaption>
              </figure>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="attachments__files">
          {files.map((attachment) => (
            <FileItem key={attachment.id} attachment={attachment} />
          ))}
        </ul>
      )}
    </section>
  );
}
