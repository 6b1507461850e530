import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, describeError } from "../api/errors";

export interface FormErrors {
  /** Messages shown next to the inputs they concern, keyed by field name. */
  fields: Record<string, string>;
  /** A message for the form as a whole (shown in an alert above the fields). */
  message: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, message: null };

/** Pydantic prefixes custom validator messages with "Value error, "; people need not see that. */
function tidy(message: string): string {
  const text = message.replace(/^Value error,\s*/i, "").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Splits an error from the API into field messages (from a 422 problem's `errors`) and a
 * form-level message. `aliases` maps API field names to form field names
 * (e.g. `{ username: "email" }` for the OAuth2 token form).
 */
export function formErrorsFrom(
  error: unknown,
  fields: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): FormErrors {
  if (error instanceof ApiError && error.problem.errors?.length) {
    const placed: Record<string, string> = {};
    const unplaced: string[] = [];
    for (const [apiField, message] of Object.entries(error.fieldErrors)) {
      const field = aliases[apiField] ?? apiField;
      if (fields.includes(field)) placed[field] = tidy(message);
      else unplaced.push(tidy(message));
    }
    const message =
      unplaced.length > 0
        ? unplaced.join(" ")
        : Object.keys(placed).length > 0
          ? "Please correct the highlighted fields."
          : describeError(error);
    return { fields: placed, message };
  }
  return { fields: {}, message: describeError(error) };
}

/**
 * Error state for one form: client-side checks, server problems, clearing a field's message
 * when it is edited, and moving focus to the first invalid field after a failed submit.
 */
export function useFormErrors(fields: readonly string[], aliases?: Readonly<Record<string, string>>) {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [focusRequest, setFocusRequest] = useState(0);

  useEffect(() => {
    if (focusRequest === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  /** Shows client-side validation messages; returns true when there are none. */
  const check = useCallback((found: Record<string, string>): boolean => {
    const ok = Object.keys(found).length === 0;
    setErrors(ok ? NO_ERRORS : { fields: found, message: null });
    if (!ok) setFocusRequest((n) => n + 1);
    return ok;
  }, []);

  const showServerError = useCallback(
    (error: unknown) => {
      setErrors(formErrorsFrom(error, fields, aliases));
      setFocusRequest((n) => n + 1);
    },
    [fields, aliases],
  );

  const clearField = useCallback((field: string) => {
    setErrors((current) => {
      if (!(field in current.fields)) return current;
      const fields = Object.fromEntries(Object.entries(current.fields).filter(([name]) => name !== field));
      return { ...current, fields };
    });
  }, []);

  const reset = useCallback(() => {
    setErrors(NO_ERRORS);
  }, []);

  // The ref travels apart from the state, so reading `form.errors` during render is not a ref read.
  return [{ errors, check, showServerError, clearField, reset }, formRef] as const;
}
