import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState, type SubmitEvent } from "react";
import { Link } from "react-router";
import { ApiError, describeError } from "../../api/errors";
import type { Mentorship } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { SelectField, TextAreaField, TextField } from "../../components/Field";
import { ErrorState, LoadingState } from "../../components/States";
import { formatDate } from "../../lib/format";
import { useFormErrors } from "../../lib/formErrors";
import { useFormValues } from "../../lib/formValues";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PersonLink } from "../../components/PersonLink";
import { formatDay, todayIso } from "../../lib/dates";
import { LEVELS, levelLabel } from "../../lib/skillLevels";
import { RATING_LABELS, STATUS_BADGES, STATUS_LABELS, closedReason, formatMinutes } from "./labels";
import { useFocusReturn } from "../../lib/useFocusReturn";
import {
  sessionsQueryOptions,
  useAcceptMentorship,
  useCancelMentorship,
  useCompleteMentorship,
  useDeclineMentorship,
  useGiveFeedback,
  useLogSession,
} from "../../queries/mentorship";

type Panel = "decline" | "sessions" | "complete" | "feedback" | null;

/**
 * One mentorship, from the caller's side: who and what it is about, and the actions the
 * state machine allows this participant (accept/decline for the mentor on a request, cancel
 * for the mentee; sessions and completion while active; feedback once completed).
 */
export function MentorshipItem({ mentorship, myId }: { mentorship: Mentorship; myId: string }) {
  const iAmMentor = mentorship.mentor.id === myId;
  const other = iAmMentor ? mentorship.mentee : mentorship.mentor;
  const [panel, setPanel] = useState<Panel>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { status, skill } = mentorship;
  const reason = closedReason(mentorship, iAmMentor);
  const rowRef = useFocusReturn<HTMLLIElement>(panel !== null);

  function toggle(next: Panel) {
    setPanel((current) => (current === next ? null : next));
    setNotice(null);
  }

  const accept = useAcceptMentorship(mentorship.id);
  const cancel = useCancelMentorship(mentorship.id, {
    onSuccess: () => {
      setConfirmCancel(false);
    },
  });

  return (
    <li ref={rowRef} className="member-list__item mentorship" aria-labelledby={`mentorship-${mentorship.id}`}>
      <div className="mentorship__main" id={`mentorship-${mentorship.id}`}>
        <PersonLink user={other}>
          <p className="person__meta">
            {iAmMentor ? "Your mentee" : "Your mentor"} in <Link to={`/skills/${skill.slug}`}>{skill.name}</Link>{" "}
            <span className={STATUS_BADGES[status]}>{status === "requested" && iAmMentor ? "Asks you" : STATUS_LABELS[status]}</span>
          </p>
        </PersonLink>
        <dl className="mentorship__facts">
          <div>
            <dt>Goal</dt>
            <dd>{mentorship.goal}</dd>
          </div>
          {mentorship.message && (
            <div>
              <dt>Message</dt>
              <dd className="mentorship__message">{mentorship.message}</dd>
            </div>
          )}
          <div>
            <dt>{status === "requested" ? "Asked" : "Started"}</dt>
            <dd>{formatDate(status === "active" || status === "completed" ? (mentorship.responded_at ?? mentorship.created_at) : mentorship.created_at)}</dd>
          </div>
          {mentorship.completed_at && (
            <div>
              <dt>Completed</dt>
              <dd>{formatDate(mentorship.completed_at)}</dd>
            </div>
          )}
          {mentorship.confirmed_level !== null && (
            <div>
              <dt>Level confirmed</dt>
              <dd>{levelLabel(mentorship.confirmed_level)}</dd>
            </div>
          )}
        </dl>
        {reason && <p className="person__meta">{reason}</p>}
      </div>

      <div className="member-list__actions">
        {status === "requested" && iAmMentor && (
          <>
            <Button size="sm" loading={accept.isPending} onClick={() => { accept.mutate(); }}>
              {accept.isPending ? "Accepting…" : "Accept"}
            </Button>
            <Button variant="secondary" size="sm" aria-expanded={panel === "decline"} onClick={() => { toggle("decline"); }}>
              Decline
            </Button>
          </>
        )}
        {status === "requested" && !iAmMentor && (
          <ConfirmDialog
            open={confirmCancel}
            onOpenChange={(open) => {
              setConfirmCancel(open);
              if (!open) cancel.reset();
            }}
            trigger={
              <Button variant="secondary" size="sm">
                Withdraw request
              </Button>
            }
            title={`Withdraw your request to ${other.display_name}?`}
            description="They won’t be able to accept it any more. You can ask again later."
            confirmLabel="Withdraw request"
            pendingLabel="Withdrawing…"
            pending={cancel.isPending}
            error={cancel.isError && describeError(cancel.error)}
            onConfirm={() => {
              cancel.mutate();
            }}
          />
        )}
        {(status === "active" || status === "completed") && (
          <Button variant="secondary" size="sm" aria-expanded={panel === "sessions"} onClick={() => { toggle("sessions"); }}>
            Sessions
          </Button>
        )}
        {status === "active" && (
          <Button variant="ghost" size="sm" aria-expanded={panel === "complete"} onClick={() => { toggle("complete"); }}>
            Complete
          </Button>
        )}
        {status === "completed" && (
          <Button variant="ghost" size="sm" aria-expanded={panel === "feedback"} onClick={() => { toggle("feedback"); }}>
            Give feedback
          </Button>
        )}
      </div>

      {accept.isError && (
        <div className="member-list__error">
          <Alert tone="error">{describeError(accept.error)}</Alert>
        </div>
      )}
      {notice && (
        <div className="member-list__error">
          <Alert tone="success">{notice}</Alert>
        </div>
      )}
      {panel && (
        <div className="member-list__error">
          {panel === "decline" && (
            <DeclineForm
              mentorship={mentorship}
              onDone={() => {
                setPanel(null);
              }}
              onCancel={() => {
                setPanel(null);
              }}
            />
          )}
          {panel === "sessions" && <SessionsLog mentorship={mentorship} />}
          {panel === "complete" && (
            <CompleteForm
              mentorship={mentorship}
              iAmMentor={iAmMentor}
              onCancel={() => {
                setPanel(null);
              }}
            />
          )}
          {panel === "feedback" && (
            <FeedbackForm
              mentorship={mentorship}
              other={other.display_name}
              onDone={(text) => {
                setPanel(null);
                setNotice(text);
              }}
              onCancel={() => {
                setPanel(null);
              }}
            />
          )}
        </div>
      )}
    </li>
  );
}

function DeclineForm({
  mentorship,
  onDone,
  onCancel,
}: {
  mentorship: Mentorship;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const [form, formRef] = useFormErrors(["reason"]);
  const decline = useDeclineMentorship(mentorship.id, {
    onSuccess: onDone,
    onError: form.showServerError,
  });
  return (
    <form
      ref={formRef}
      className="form form--boxed"
      noValidate
      aria-label={`Decline ${mentorship.mentee.display_name}’s request`}
      onSubmit={(event) => {
        event.preventDefault();
        if (decline.isPending) return;
        if (!form.check(reason.length > 500 ? { reason: "Keep it to 500 characters." } : {})) return;
        decline.mutate(reason.trim() || null);
      }}
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      <TextAreaField
        label="Reason"
        optional
        rows={2}
        maxLength={500}
        name="reason"
        value={reason}
        error={form.errors.fields.reason}
        hint={`${mentorship.mentee.display_name} will see it. A pointer to someone else who could help is kind.`}
        onChange={(event) => {
          setReason(event.target.value);
          form.clearField("reason");
        }}
      />
      <div className="form__actions">
        <Button type="submit" variant="danger" loading={decline.isPending}>
          {decline.isPending ? "Declining…" : "Decline request"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function SessionsLog({ mentorship }: { mentorship: Mentorship }) {
  const sessions = useInfiniteQuery(sessionsQueryOptions(mentorship.id));
  const items = sessions.data?.pages.flatMap((page) => page.items) ?? [];
  const total = items.reduce((sum, session) => sum + session.minutes, 0);
  return (
    <div className="stack">
      <h3 className="section-title">Sessions</h3>
      {mentorship.status === "active" && <SessionForm mentorship={mentorship} />}
      {sessions.isPending ? (
        <LoadingState label="Loading sessions…" />
      ) : sessions.isError && items.length === 0 ? (
        <ErrorState error={sessions.error} title="Sessions didn’t load" onRetry={() => void sessions.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted-note">No sessions logged yet.</p>
      ) : (
        <>
          <p className="muted-note">
            {items.length === 1 ? "1 session" : `${items.length} sessions`}, {formatMinutes(total)} in all
            {sessions.hasNextPage ? " so far shown" : ""}.
          </p>
          <ul className="audit-list">
            {items.map((session) => (
              <li key={session.id} className="audit-list__item">
                <span className="audit-list__what">
                  {formatDay(session.held_on)} · {formatMinutes(session.minutes)}
                </span>
                {session.notes && <span className="audit-list__note mentorship__message">{session.notes}</span>}
                <span className="audit-list__time">Logged by {session.created_by.display_name}</span>
              </li>
            ))}
          </ul>
          {sessions.hasNextPage && (
            <Button variant="ghost" size="sm" loading={sessions.isFetchingNextPage} onClick={() => void sessions.fetchNextPage()}>
              Older sessions
            </Button>
          )}
        </>
      )}
    </div>
  );
}

const SESSION_FIELDS = ["held_on", "minutes", "notes"] as const;

function SessionForm({ mentorship }: { mentorship: Mentorship }) {
  const today = todayIso();
  const [saved, setSaved] = useState(false);
  const [form, formRef] = useFormErrors(SESSION_FIELDS);
  const [values, set, setValues] = useFormValues({ held_on: today, minutes: "45", notes: "" }, form.clearField, () => {
    setSaved(false);
  });

  const mutation = useLogSession(mentorship.id, {
    onSuccess: () => {
      setValues({ held_on: today, minutes: "45", notes: "" });
      setSaved(true);
    },
    onError: form.showServerError,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    const found: Record<string, string> = {};
    const minutes = Number(values.minutes);
    if (!values.held_on) found.held_on = "Enter the day you met.";
    else if (values.held_on > today) found.held_on = "Log sessions that took place, not future ones.";
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 600) found.minutes = "Enter a whole number of minutes from 5 to 600.";
    if (values.notes.length > 5000) found.notes = "Keep notes to 5,000 characters.";
    if (!form.check(found)) return;
    mutation.mutate({ held_on: values.held_on, minutes, notes: values.notes.trim() || null });
  }

  return (
    <form ref={formRef} className="form form--boxed" noValidate aria-label="Log a session" onSubmit={handleSubmit}>
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      {saved && <Alert tone="success">Session logged.</Alert>}
      <div className="form-grid">
        <TextField
          label="Date"
          type="date"
          max={today}
          name="held_on"
          value={values.held_on}
          error={form.errors.fields.held_on}
          onChange={(event) => {
            set("held_on", event.target.value);
          }}
        />
        <TextField
          label="Minutes"
          type="number"
          inputMode="numeric"
          min={5}
          max={600}
          step={5}
          name="minutes"
          value={values.minutes}
          error={form.errors.fields.minutes}
          onChange={(event) => {
            set("minutes", event.target.value);
          }}
        />
      </div>
      <TextAreaField
        label="Notes"
        optional
        rows={3}
        maxLength={5000}
        name="notes"
        value={values.notes}
        error={form.errors.fields.notes}
        hint="What you covered and what’s next. Both of you can read them."
        onChange={(event) => {
          set("notes", event.target.value);
        }}
      />
      <div className="form__actions">
        <Button type="submit" loading={mutation.isPending}>
          {mutation.isPending ? "Saving…" : "Log session"}
        </Button>
      </div>
    </form>
  );
}

function CompleteForm({ mentorship, iAmMentor, onCancel }: { mentorship: Mentorship; iAmMentor: boolean; onCancel: () => void }) {
  const [level, setLevel] = useState("");
  const complete = useCompleteMentorship(mentorship);
  const described = LEVELS.find((entry) => String(entry.value) === level);
  return (
    <form
      className="form form--boxed"
      noValidate
      aria-label="Complete the mentorship"
      onSubmit={(event) => {
        event.preventDefault();
        if (!complete.isPending) complete.mutate(iAmMentor && level ? Number(level) : null);
      }}
    >
      {complete.isError && <Alert tone="error">{describeError(complete.error)}</Alert>}
      <p>
        Completing ends the mentorship and frees a place for {iAmMentor ? "you" : mentorship.mentor.display_name} to
        mentor someone else. Sessions stay readable; you can both give feedback afterwards.
      </p>
      {iAmMentor && (
        <SelectField
          label={`${mentorship.mentee.display_name}’s level in ${mentorship.skill.name} now`}
          optional
          value={level}
          hint={
            described
              ? `${described.description} This raises their level (never lowers it) and marks a matching learning goal achieved.`
              : "Confirm the level they’ve reached: it raises their level (never lowers it) and marks a matching learning goal achieved."
          }
          onChange={(event) => {
            setLevel(event.target.value);
          }}
        >
          <option value="">Don’t confirm a level</option>
          {LEVELS.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {levelLabel(entry.value)}
            </option>
          ))}
        </SelectField>
      )}
      <div className="form__actions">
        <Button type="submit" loading={complete.isPending}>
          {complete.isPending ? "Completing…" : "Complete mentorship"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function FeedbackForm({
  mentorship,
  other,
  onDone,
  onCancel,
}: {
  mentorship: Mentorship;
  other: string;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [form, formRef] = useFormErrors(["rating", "comment"]);
  const feedback = useGiveFeedback(mentorship.id, {
    onSuccess: () => {
      onDone("Thank you: your feedback is saved.");
    },
    onError: (error) => {
      // The API doesn't say whether the caller has rated already; a second time is a 409.
      if (error instanceof ApiError && error.status === 409) {
        onDone("You’ve already given feedback on this mentorship.");
        return;
      }
      form.showServerError(error);
    },
  });
  const errorId = form.errors.fields.rating ? `${id}-error` : undefined;

  return (
    <form
      ref={formRef}
      className="form form--boxed"
      noValidate
      aria-label="Feedback"
      onSubmit={(event) => {
        event.preventDefault();
        if (feedback.isPending) return;
        const found: Record<string, string> = {};
        if (rating === null) found.rating = "Choose a rating from 1 to 5.";
        if (comment.length > 2000) found.comment = "Keep it to 2,000 characters.";
        if (!form.check(found) || rating === null) return;
        feedback.mutate({ rating, comment: comment.trim() || null });
      }}
    >
      {form.errors.message && <Alert tone="error">{form.errors.message}</Alert>}
      <fieldset className="fieldset" aria-describedby={errorId}>
        <legend className="field__label">How was mentoring with {other}?</legend>
        <div className="rating">
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value} className="choice choice--compact">
              <input
                type="radio"
                name={`${id}-rating`}
                value={value}
                checked={rating === value}
                aria-invalid={form.errors.fields.rating ? true : undefined}
                onChange={() => {
                  setRating(value);
                  form.clearField("rating");
                }}
              />
              <span>
                <span className="choice__label">{value}</span>
                <span className="choice__description">{RATING_LABELS[value]}</span>
              </span>
            </label>
          ))}
        </div>
        {form.errors.fields.rating && (
          <p className="field__error" id={errorId}>
            {form.errors.fields.rating}
          </p>
        )}
      </fieldset>
      <TextAreaField
        label="Comment"
        optional
        rows={3}
        maxLength={2000}
        name="comment"
        value={comment}
        error={form.errors.fields.comment}
        hint="What worked, and what could be better."
        onChange={(event) => {
          setComment(event.target.value);
          form.clearField("comment");
        }}
      />
      <div className="form__actions">
        <Button type="submit" loading={feedback.isPending}>
          {feedback.isPending ? "Sending…" : "Send feedback"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
