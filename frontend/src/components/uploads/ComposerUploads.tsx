import { useRef } from "react";
import type { Attachment } from "../../api/types";
import { Button } from "../Button";
import { ACCEPT, ATTACHMENTS_MAX, formatBytes, isImage } from "./uploads";
import { filesOf, type useComposerUploads } from "./useComposerUploads";
import type { PendingUpload } from "./useUploads";

type ComposerUploadsState = ReturnType<typeof useComposerUploads>;

function PendingItem({ item, onDismiss }: { item: PendingUpload; onDismiss: () => void }) {
  const percent = Math.round(item.progress * 100);
  return (
    <li className="upload-list__item">
      <span className="upload-list__name">{item.name}</span>
      {item.error ? (
        <>
          <span className="upload-list__error" role="alert">
            {item.error}
          </span>
          <Button variant="ghost" size="sm" aria-label={`Dismiss ${item.name}`} onClick={onDismiss}>
            Dismiss
          </Button>
        </>
      ) : (
        <>
          <progress className="upload-list__progress" max={100} value={percent} aria-label={`Uploading ${item.name}`} />
          <span className="upload-list__status">{percent < 100 ? `${percent}%` : "Processing…"}</span>
        </>
      )}
    </li>
  );
}

/** The Attach button, uploads under way (progress or what went wrong) and the files attached. */
export function ComposerUploads({ state, attachments, label = "Attach image or file" }: { state: ComposerUploadsState; attachments: Attachment[]; label?: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="composer-uploads">
      <div className="composer-uploads__bar">
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            state.take(filesOf(event.target.files));
            event.target.value = "";
          }}
        />
        <Button
          variant="secondary"
          size="sm"
          disabled={state.full}
          onClick={() => {
            input.current?.click();
          }}
        >
          {label}
        </Button>
        <span className="field__hint">Or paste or drop images into the text. Up to {ATTACHMENTS_MAX} files, 10 MB each.</span>
      </div>
      <div aria-live="polite">
        {state.pending.length > 0 && (
          <ul className="upload-list" aria-label="Uploads in progress">
            {state.pending.map((item) => (
              <PendingItem
                key={item.key}
                item={item}
                onDismiss={() => {
                  state.dismiss(item.key);
                }}
              />
            ))}
          </ul>
        )}
      </div>
      {attachments.length > 0 && (
        <ul className="upload-list" aria-label="Attached files">
          {attachments.map((attachment) => (
            <li key={attachment.id} className="upload-list__item">
              <span className="upload-list__kind">{isImage(attachment) ? "Image" : "File"}</span>
              <span className="upload-list__name">{attachment.filename}</span>
              <span className="upload-list__status">{formatBytes(attachment.size)}</span>
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove ${attachment.filename}`}
                onClick={() => {
                  state.remove(attachment);
                }}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
