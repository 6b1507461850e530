import * as AlertDialog from "@radix-ui/react-alert-dialog";
import type { ReactElement, ReactNode } from "react";
import { Alert } from "./Alert";
import { Button, type ButtonVariant } from "./Button";

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button that opens the dialog. */
  trigger: ReactElement;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** Shown inside the dialog when the action failed; the dialog stays open. */
  error?: ReactNode;
  variant?: ButtonVariant;
  onConfirm: () => void;
  /** When the dialog closes; `event.preventDefault()` keeps focus from returning to the trigger. */
  onCloseAutoFocus?: (event: Event) => void;
}

/**
 * A confirmation step for consequential actions (leave, archive, remove). The caller owns the
 * request: the dialog stays open while it runs and shows its error, and the caller closes it
 * on success.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  variant = "danger",
  onConfirm,
  onCloseAutoFocus,
}: ConfirmDialogProps) {
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog__overlay" />
        <AlertDialog.Content className="dialog" onCloseAutoFocus={onCloseAutoFocus}>
          <AlertDialog.Title className="dialog__title">{title}</AlertDialog.Title>
          <AlertDialog.Description className="dialog__text">{description}</AlertDialog.Description>
          {error && <Alert tone="error">{error}</Alert>}
          <div className="dialog__actions">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary">Cancel</Button>
            </AlertDialog.Cancel>
            {/* Not AlertDialog.Action: that would close the dialog before the request finishes. */}
            <Button variant={variant} loading={pending} onClick={onConfirm}>
              {pending ? pendingLabel : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
