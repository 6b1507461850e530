import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useState } from "react";
import { describeError } from "../../api/errors";
import type { PersonalAccessToken } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { useRevokeToken } from "../../queries/account";

export function RevokeTokenButton({ token, onRevoked }: { token: PersonalAccessToken; onRevoked: (name: string) => void }) {
  const [open, setOpen] = useState(false);
  const mutation = useRevokeToken(token.id, {
    onSuccess: () => {
      setOpen(false);
      onRevoked(token.name);
    },
  });

  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) mutation.reset();
      }}
    >
      <AlertDialog.Trigger asChild>
        <Button variant="secondary" size="sm" aria-label={`Revoke ${token.name}`}>
          Revoke
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog__overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog__title">Revoke “{token.name}”?</AlertDialog.Title>
          <AlertDialog.Description className="dialog__text">
            Scripts and integrations using this token stop working immediately. This can’t be undone.
          </AlertDialog.Description>
          {mutation.isError && <Alert tone="error">{describeError(mutation.error)}</Alert>}
          <div className="dialog__actions">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary">Cancel</Button>
            </AlertDialog.Cancel>
            {/* Not AlertDialog.Action: that would close the dialog before the request finishes. */}
            <Button variant="danger" loading={mutation.isPending} onClick={() => { mutation.mutate(); }}>
              {mutation.isPending ? "Revoking…" : "Revoke token"}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
