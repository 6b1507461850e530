import type { Problem, ValidationIssue } from "./types";

/** A problem as the server sends it, or one made up for a failed response without one (no `detail`). */
export type ProblemDetails = Omit<Problem, "detail"> & { detail?: string | null };

/** Where a validation issue points, relative to the request (FastAPI puts this first in `loc`). */
const LOCATION_PREFIXES = new Set(["body", "query", "path", "header", "cookie", "form"]);

/**
 * The server answered with a non-2xx status. Carries the parsed problem+json body
 * (or a synthetic one when the server, or a proxy in front of it, sent something else).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;
  /** Seconds from a `Retry-After` header, when the server sent one (429, 503). */
  readonly retryAfter: number | null;

  constructor(problem: ProblemDetails, retryAfter: number | null = null) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** Validation messages keyed by field name, e.g. `{ password: "…" }`. */
  get fieldErrors(): Record<string, string> {
    return fieldErrorsFrom(this.problem.errors ?? []);
  }
}

/** The request never produced a response (offline, DNS, CORS, server down). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("Network request failed", { cause });
    this.name = "NetworkError";
  }
}

/**
 * Maps `errors[].loc` to a field name: `["body", "password"]` → `password`,
 * `["body", "scopes", 0]` → `scopes`. The first message for a field wins.
 * Issues about the body as a whole (`["body"]`) map to the `""` key (a form-level error).
 */
export function fieldErrorsFrom(issues: readonly ValidationIssue[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const issue of issues) {
    const path = [...issue.loc];
    if (typeof path[0] === "string" && LOCATION_PREFIXES.has(path[0])) path.shift();
    const field = path.find((part): part is string => typeof part === "string") ?? "";
    if (!(field in result)) result[field] = issue.msg;
  }
  return result;
}

/** A sentence a person can act on, for any error a query or mutation may throw. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) {
    return "We couldn’t reach Leaderful. Check your connection and try again.";
  }
  if (error instanceof ApiError) {
    if (error.status === 429) {
      return error.retryAfter
        ? `Too many attempts. Please wait ${formatWait(error.retryAfter)} and try again.`
        : "Too many attempts. Please wait a moment and try again.";
    }
    if (error.status >= 500) {
      return "Something went wrong on our side. Please try again in a moment.";
    }
    const detail = error.problem.detail?.trim();
    if (detail) return detail;
    return error.problem.title || `Request failed (${error.status}).`;
  }
  return "Something unexpected happened. Please try again.";
}

function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** Builds an ApiError from any response, problem+json or not. Reads the body. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const contentType = response.headers.get("Content-Type") ?? "";
  let body: unknown = null;
  if (contentType.includes("json")) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  return apiErrorFrom(body, response);
}

/**
 * Builds an ApiError from a response whose body was already parsed (openapi-fetch hands over
 * `{ error, response }`); anything that is not a problem object gets a synthetic one.
 */
export function apiErrorFrom(body: unknown, response: Response): ApiError {
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  const fallback: ProblemDetails = {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
  if (body === null || typeof body !== "object" || Array.isArray(body)) return new ApiError(fallback, retryAfter);
  const problem = body as Partial<ProblemDetails>;
  return new ApiError(
    {
      ...problem,
      type: typeof problem.type === "string" ? problem.type : fallback.type,
      title: typeof problem.title === "string" ? problem.title : fallback.title,
      status: typeof problem.status === "number" ? problem.status : response.status,
      errors: Array.isArray(problem.errors) ? problem.errors : undefined,
    },
    retryAfter,
  );
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
