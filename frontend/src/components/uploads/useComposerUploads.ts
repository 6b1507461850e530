import { useEffect, useRef, type ClipboardEvent, type DragEvent } from "react";
import type { Attachment } from "../../api/types";
import { ATTACHMENTS_MAX, insertAt, markdownFor } from "./uploads";
import { useUploads } from "./useUploads";

interface ComposerUploadsOptions {
  /** The Markdown textarea the files' Markdown goes into (at its caret). */
  textareaId: string;
  attachments: Attachment[];
  onAttachments: (attachments: Attachment[]) => void;
  onBody: (body: string) => void;
}

function textarea(id: string): HTMLTextAreaElement | null {
  const element = document.getElementById(id);
  return element instanceof HTMLTextAreaElement ? element : null;
}

export function filesOf(list: FileList | null | undefined): File[] {
  return list ? Array.from(list) : [];
}

/**
 * Images and files for a Markdown composer: pasted or dropped into its textarea, or chosen with
 * the Attach button. Each is uploaded at once (with progress), its Markdown is inserted where
 * the caret is, and it joins the attachments sent with the post or comment.
 */
export function useComposerUploads({ textareaId, attachments, onAttachments, onBody }: ComposerUploadsOptions) {
  const latest = useRef(attachments);
  useEffect(() => {
    latest.current = attachments;
  }, [attachments]);

  const uploads = useUploads((attachment) => {
    latest.current = [...latest.current, attachment];
    onAttachments(latest.current);
    const field = textarea(textareaId);
    if (!field) return;
    const { text, caret } = insertAt(field.value, field.selectionStart, field.selectionEnd, markdownFor(attachment));
    onBody(text);
    requestAnimationFrame(() => {
      field.setSelectionRange(caret, caret);
    });
  });

  const full = attachments.length + uploads.pending.filter((item) => !item.error).length >= ATTACHMENTS_MAX;

  function take(files: File[]): boolean {
    if (files.length === 0) return false;
    uploads.upload(files.slice(0, Math.max(0, ATTACHMENTS_MAX - attachments.length)));
    return true;
  }

  const textareaProps = {
    onPaste: (event: ClipboardEvent<HTMLTextAreaElement>) => {
      if (take(filesOf(event.clipboardData.files))) event.preventDefault();
    },
    onDrop: (event: DragEvent<HTMLTextAreaElement>) => {
      if (take(filesOf(event.dataTransfer.files))) event.preventDefault();
    },
    onDragOver: (event: DragEvent<HTMLTextAreaElement>) => {
      if (Array.from(event.dataTransfer.types).includes("Files")) event.preventDefault();
    },
  };

  function remove(attachment: Attachment) {
    latest.current = latest.current.filter((item) => item.id !== attachment.id);
    onAttachments(latest.current);
    const field = textarea(textareaId);
    if (field) {
      const escaped = attachment.url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      const reference = new RegExp(`!?\\[(?:[^\\]\\\\]|\\\\.)*\\]\\(${escaped}\\)\\n?`, "g");
      onBody(field.value.replace(reference, ""));
    }
  }

  return { ...uploads, take, remove, full, textareaProps };
}

