import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useId, useState, type SubmitEvent } from "react";
import { useReportContent } from "../../queries/posts";
import { describeError } from "../../api/errors";
import type { ReportReason } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextAreaField } from "../../components/Field";
import { REPORT_REASONS } from "../../lib/postLabels";

const DETAIL_MAX = 1000;

interface ReportDialogProps {
  target: "post" | "comment";
  id: string;
  /** Names what is reported in the trigger's accessible name, e.g. "comment by Grace Hopper". */
  subject: string;
  onReported: () => void;
}

/** Flags a post or comment for the community's moderators, with a reason and optional detail. */
export function ReportDialog({ target, id, subject, onReported }: ReportDialogProps) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [detail, setDetail] = useState("");
  const [missingReason, setMissingReason] = useState(false);
  const ids = useId();

  const report = useReportContent(target, id, {
    onSuccess: () => {
      setOpen(false);
      onReported();
    },
  });

  function handleOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      report.reset();
      setReason(null);
      setDetail("");
      setMissingReason(false);
    }
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (report.isPending) return;
    if (reason === null) {
      setMissingReason(true);
      document.getElementById(`${ids}-reason-${REPORT_REASONS[0]?.value ?? ""}`)?.focus();
      return;
    }
    report.mutate({ reason, detail: detail.trim() || null });
  }

  return (
    <AlertDialog.Root open={open} onOpenChange={handleOpenChange}>
      <AlertDialog.Trigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Report ${subject}`}>
          Report
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog__overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog__title">Report this {target}</AlertDialog.Title>
          <AlertDialog.Description className="dialog__text">
            The community’s moderators will review it. They won’t see who reported it.
          </AlertDialog.Description>
          <form className="form" noValidate onSubmit={handleSubmit} aria-label={`Report this ${target}`}>
            <fieldset
              className={missingReason ? "fieldset field--invalid" : "fieldset"}
              aria-describedby={missingReason ? `${ids}-reason-error` : undefined}
            >
              <legend className="field__label">What’s wrong?</legend>
              <div className="choice-list">
                {REPORT_REASONS.map((item) => (
                  <label key={item.value} className="choice">
                    <input
                      id={`${ids}-reason-${item.value}`}
                      type="radio"
                      name={`${ids}-reason`}
                      value={item.value}
                      checked={reason === item.value}
                      aria-invalid={missingReason || undefined}
                      onChange={() => {
                        setReason(item.value);
                        setMissingReason(false);
                      }}
                    />
                    <span>
                      <span className="choice__label">{item.label}</span>
                      <span className="choice__description">{item.description}</span>
                    </span>
                  </label>
                ))}
              </div>
              {missingReason && (
                <p className="field__error" id={`${ids}-reason-error`}>
                  Choose a reason.
                </p>
              )}
            </fieldset>
            <TextAreaField
              label="Details"
              optional
              rows={3}
              maxLength={DETAIL_MAX}
              hint="Anything that helps the moderators decide."
              value={detail}
              onChange={(event) => {
                setDetail(event.target.value);
              }}
            />
            {report.isError && <Alert tone="error">{describeError(report.error)}</Alert>}
            <div className="dialog__actions">
              <AlertDialog.Cancel asChild>
                <Button variant="secondary">Cancel</Button>
              </AlertDialog.Cancel>
              <Button type="submit" variant="danger" loading={report.isPending}>
                {report.isPending ? "Sending…" : "Send report"}
              </Button>
            </div>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
