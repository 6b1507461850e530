/**
 * The one module that talks HTTP to the Leaderful API.
 *
 * It owns the session: the access token lives in this module's memory only (never in
 * localStorage or sessionStorage); the refresh token is an httpOnly cookie the browser keeps
 * and that this code never sees.
 *
 * Layers, bottom up:
 *  - `authFetch`: a drop-in `fetch` that adds the bearer token and, on a 401, refreshes the
 *    session once and retries once.
 *  - `api()`: openapi-fetch over `authFetch`, typed by the `paths` generated from the OpenAPI
 *    document; `send` turns problem+json into `ApiError` and failed requests into `NetworkError`.
 *  - endpoint functions (`signIn`, `getMe`, `createToken`, …): one per API operation, each a
 *    thin typed call of `api()`.
 */
import createClient, { type Client } from "openapi-fetch";
import { ApiError, NetworkError, apiErrorFrom } from "./errors";
import type { paths } from "./schema";
import type { SkillInsight, SkillInsightSort } from "./types";
import type { CommunityHealth, LeadershipAct, LedgerSummary, OrganisationHealth } from "./types";
import type { Device, WebPushDeviceCreate } from "./types";
import type { Webhook, WebhookCreate, WebhookDelivery, WebhookUpdate, WebhookWithSecret } from "./types";
import type {
  Attachment,
  CommentCreate,
  FeedSort,
  Post,
  PostComment,
  PostCreate,
  PostKind,
  PostSearchHit,
  PostSort,
  PostUpdate,
  PostWatch,
  ReactionKind,
  Report,
  ReportCreate,
  ReportCreated,
  ReportResolve,
  ReportStatus,
} from "./types";
import type {
  AccessTokenResponse,
  AuditEntry,
  Community,
  CommunityCreate,
  CommunityRole,
  CommunitySort,
  CommunityStats,
  CommunityUpdate,
  EmailChange,
  InboxItem,
  Invitation,
  Me,
  MeUpdate,
  Member,
  MembershipStatus,
  MemberUpdate,
  MyMembership,
  Nomination,
  NominationCreate,
  NominationStatus,
  NotificationPreferences,
  NotificationPreferencesUpdate,
  NotificationSettings,
  NotificationSettingsUpdate,
  NotifyLevel,
  Page,
  PasswordChange,
  PendingInvitation,
  PersonalAccessToken,
  PersonalAccessTokenCreate,
  PersonalAccessTokenCreated,
  RegisterRequest,
  StreamTicket,
  UnsubscribeResult,
  Endorsement,
  EndorsementPut,
  Expert,
  Feedback,
  FeedbackCreate,
  GoalStatus,
  LearningGoal,
  LearningGoalCreate,
  LearningGoalUpdate,
  MentorProfile,
  MentorProfilePut,
  MentorRecommendation,
  Mentorship,
  MentorshipCreate,
  MentorshipRole,
  MentorshipSession,
  MentorshipStatus,
  SessionCreate,
  Skill,
  SkillCategory,
  SkillCreate,
  SkillSort,
  SkillUpdate,
  UserProfile,
  UserSkill,
  UserSkillPut,
  UserSummary,
} from "./types";

/** "" means same origin (the API serves the SPA, or the dev server proxies /api). */
export const API_BASE_URL = (import.meta.env.VITE_API_BASE_URL ?? "").replace(/\/+$/, "");

/**
 * Required by the cookie-authenticated auth endpoints. A cross-site form post cannot set a
 * custom header, so the server can reject CSRF attempts that lack it.
 */
const CSRF_HEADERS = { "X-Requested-With": "leaderful" } as const;

/** Refresh this long before the access token expires. */
const REFRESH_LEAD_SECONDS = 60;
/** After a failed background refresh (network, 5xx), try again this much later. */
const REFRESH_RETRY_MS = 15_000;
const REFRESH_LOCK = "leaderful-refresh";
const SESSION_CHANNEL = "leaderful-session";

// ---------------------------------------------------------------------------------------------
// Session state
// ---------------------------------------------------------------------------------------------

export type SessionEndReason = "signed-out" | "expired";
export interface SessionEnded {
  type: "ended";
  reason: SessionEndReason;
}
type SessionListener = (event: SessionEnded) => void;

let accessToken: string | null = null;
let expiresAt = 0;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshInFlight: Promise<boolean> | null = null;
/** Bumped whenever a session ends, so a refresh that was already under way cannot revive it. */
let sessionEpoch = 0;
const listeners = new Set<SessionListener>();
let channel: BroadcastChannel | null = null;

/** True while an access token is held in memory. */
export function hasSession(): boolean {
  return accessToken !== null;
}

/** Called whenever an active session ends: sign-out (here or in another tab) or expiry. */
export function onSessionEnded(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function startSession(token: AccessTokenResponse): void {
  accessToken = token.access_token;
  expiresAt = Date.now() + token.expires_in * 1000;
  scheduleRefresh(token.expires_in * 1000);
}

/** Forgets the access token and stops refreshing; tells listeners if a session was active. */
export function endSession(reason: SessionEndReason): void {
  const wasActive = accessToken !== null;
  sessionEpoch += 1;
  accessToken = null;
  expiresAt = 0;
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
  if (wasActive) {
    for (const listener of [...listeners]) listener({ type: "ended", reason });
  }
}

function scheduleRefresh(lifetimeMs: number): void {
  clearTimeout(refreshTimer);
  const leadMs = REFRESH_LEAD_SECONDS * 1000;
  // Short-lived tokens (tests, odd configuration) refresh at half-life instead.
  const delay = lifetimeMs > 2 * leadMs ? lifetimeMs - leadMs : Math.max(lifetimeMs / 2, 1000);
  refreshTimer = setTimeout(() => void refreshInBackground(), delay);
}

async function refreshInBackground(): Promise<void> {
  try {
    if (!(await refreshSession())) endSession("expired");
  } catch {
    // Offline or a server hiccup: keep the current token while it lasts and try again.
    if (accessToken !== null && Date.now() + REFRESH_RETRY_MS < expiresAt) {
      refreshTimer = setTimeout(() => void refreshInBackground(), REFRESH_RETRY_MS);
    }
  }
}

/**
 * Lets tabs of the same browser share sign-out: signing out in one tab ends the session in
 * the others. Called once from main.tsx (not at import, so tests open no channel).
 */
export function connectSessionAcrossTabs(): () => void {
  if (typeof BroadcastChannel === "undefined" || channel) return () => undefined;
  const opened = new BroadcastChannel(SESSION_CHANNEL);
  opened.onmessage = (event: MessageEvent<unknown>) => {
    if (event.data === "signed-out") endSession("signed-out");
  };
  channel = opened;
  return () => {
    opened.close();
    channel = null;
  };
}

// ---------------------------------------------------------------------------------------------
// Refresh
// ---------------------------------------------------------------------------------------------

/**
 * Exchanges the refresh cookie for a new access token (the server rotates the cookie).
 *
 * Resolves `true` on success and `false` when there is no valid session (401/403). Throws
 * `NetworkError`/`ApiError` for anything else, so callers can tell "signed out" from "offline".
 *
 * Concurrent callers share one request: presenting the same refresh cookie twice would look
 * like token theft to the server and revoke the whole token family. Across tabs, the Web Locks
 * API serialises refreshes for the same reason.
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= withRefreshLock(requestRefresh).finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

async function withRefreshLock(task: () => Promise<boolean>): Promise<boolean> {
  if (typeof navigator !== "undefined" && "locks" in navigator) {
    return await navigator.locks.request(REFRESH_LOCK, task);
  }
  return await task();
}

async function requestRefresh(): Promise<boolean> {
  const epoch = sessionEpoch;
  const result = await call(() =>
    api().POST("/api/v1/auth/refresh", {
      params: { query: { use_cookie: true } },
      body: {},
      headers: CSRF_HEADERS,
      credentials: "include",
      fetch: rawFetch,
    }),
  );
  if (result.response.status === 401 || result.response.status === 403) return false;
  const { data: token } = ok(result);
  // Signed out while this was under way: the server has revoked the family; keep it that way.
  if (epoch !== sessionEpoch) return false;
  startSession(token);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Transport
// ---------------------------------------------------------------------------------------------

const ACCEPT = "application/json, application/problem+json";

/** Looks `fetch` up at call time so tests can stub it. */
function rawFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return globalThis.fetch(input, init);
}

function withBearer(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  token: string | null,
): [RequestInfo | URL, RequestInit | undefined] {
  if (token === null) return [input, init];
  if (input instanceof Request && init === undefined) {
    const request = new Request(input);
    request.headers.set("Authorization", `Bearer ${token}`);
    return [request, undefined];
  }
  const headers = new Headers(init?.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return [input, { ...init, headers }];
}

/**
 * `fetch` with the session's bearer token. On a 401 it refreshes the session once (or
 * reuses a token that another request refreshed meanwhile) and retries once; if that fails
 * too, the session ends with reason "expired" and the 401 response is returned.
 */
export async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  // A Request body can be read once; keep a copy for the retry.
  const retryInput = input instanceof Request ? input.clone() : input;
  const usedToken = accessToken;
  const response = await rawFetch(...withBearer(input, init, usedToken));
  if (response.status !== 401) return response;

  let canRetry = accessToken !== null && accessToken !== usedToken;
  if (!canRetry) {
    try {
      canRetry = await refreshSession();
    } catch {
      // Could not reach the refresh endpoint: report the original 401, keep the session.
      return response;
    }
  }
  if (!canRetry) {
    endSession("expired");
    return response;
  }
  const retried = await rawFetch(...withBearer(retryInput, init, accessToken));
  if (retried.status === 401) endSession("expired");
  return retried;
}

let typedClient: Client<paths> | null = null;

/**
 * The one HTTP client: openapi-fetch typed by the generated `paths`, over `authFetch` so calls get
 * the bearer token and refresh-and-retry. The few calls that must not refresh (sign-in, register,
 * refresh itself, sign-out) pass their own `fetch`. Created on first use: openapi-fetch builds
 * `Request`s, which need an absolute URL when the API shares the page's origin.
 *
 * `cache: "no-store"`: a post's `ETag` names its `version`, which reactions, comment counts and
 * `my_reactions` do not change, and the API sends no `Cache-Control`. The browser would revalidate
 * a cached GET with `If-None-Match`, get a 304 and reuse a stale body. TanStack Query caches instead.
 */
function api(): Client<paths> {
  typedClient ??= createClient<paths>({
    baseUrl: API_BASE_URL || globalThis.location.origin,
    fetch: authFetch,
    headers: { Accept: ACCEPT },
    cache: "no-store",
  });
  return typedClient;
}

/** For sign-out: the session's bearer token, but no refresh-and-retry on 401. */
function bearerOnlyFetch(input: Request): Promise<Response> {
  return rawFetch(...withBearer(input, undefined, accessToken));
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" } as const;

interface TypedResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function isAbort(error: unknown): boolean {
  // Not `instanceof DOMException`: test environments may have two DOMException classes.
  return typeof error === "object" && error !== null && "name" in error && error.name === "AbortError";
}

/** Runs one openapi-fetch call; a request that fails to complete becomes `NetworkError`. */
async function call<T>(run: () => Promise<TypedResult<T>>): Promise<TypedResult<T>> {
  try {
    return await run();
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new NetworkError(error);
  }
}

/** A problem response becomes `ApiError`. */
function ok<T>(result: TypedResult<T>): { data: T; response: Response } {
  if (!result.response.ok) throw apiErrorFrom(result.error ?? null, result.response);
  return { data: result.data as T, response: result.response };
}

/** Runs one openapi-fetch call: problems become `ApiError`, failed requests `NetworkError`. */
async function send<T>(run: () => Promise<TypedResult<T>>): Promise<{ data: T; response: Response }> {
  return ok(await call(run));
}

/** `If-Match` is honoured by the server but not declared in the OpenAPI document. */
function ifMatch(etag: string | null | undefined): Record<string, string> | undefined {
  return etag ? { "If-Match": etag } : undefined;
}

/** Sent as `Idempotency-Key`, so a retried submit is answered with the first response. */
function idempotency(key: string | undefined): { "idempotency-key": string } | undefined {
  return key ? { "idempotency-key": key } : undefined;
}

interface PageParams {
  cursor?: string | null;
  limit?: number;
}

/** A response body together with the `ETag` it came with (for `If-Match`). */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}

// ---------------------------------------------------------------------------------------------
// Auth
// ---------------------------------------------------------------------------------------------

/** POST /auth/token with the refresh token set as an httpOnly cookie. 401 on bad credentials. */
export async function signIn(email: string, password: string): Promise<void> {
  const { data } = await send(() =>
    api().POST("/api/v1/auth/token", {
      body: { username: email, password, use_cookie: true },
      headers: FORM,
      credentials: "include",
      // Anonymous: here a 401 means bad credentials, not an expired session.
      fetch: rawFetch,
    }),
  );
  startSession(data);
}

/**
 * POST /auth/register, asking for the refresh token as a cookie. If the server returns the
 * refresh token in the body instead, it is not kept (it would have to live in script-readable
 * storage); the new credentials are exchanged for a cookie session via `signIn`.
 */
export async function register(input: RegisterRequest): Promise<Me> {
  const { data } = await send(() =>
    api().POST("/api/v1/auth/register", {
      params: { query: { use_cookie: true } },
      body: input,
      credentials: "include",
      fetch: rawFetch,
    }),
  );
  if (data.refresh_token) await signIn(input.email, input.password);
  else startSession(data);
  return data.user;
}

/**
 * POST /auth/logout: revokes the refresh token family and clears the cookie. The local
 * session ends whatever the server says, and other tabs are told.
 */
export async function signOut(): Promise<void> {
  try {
    // Logout needs a live bearer token; after a long sleep the one in memory may have expired.
    if (accessToken !== null && Date.now() >= expiresAt - 5_000) await refreshSession().catch(() => false);
    if (accessToken !== null) {
      await send(() =>
        api().POST("/api/v1/auth/logout", {
          params: { query: { use_cookie: true } },
          headers: CSRF_HEADERS,
          body: {},
          credentials: "include",
          fetch: bearerOnlyFetch,
        }),
      );
    }
  } catch (error) {
    // Offline or already expired: the local session still ends; the cookie dies with its TTL.
    if (!(error instanceof ApiError) && !(error instanceof NetworkError)) throw error;
  } finally {
    endSession("signed-out");
    channel?.postMessage("signed-out");
  }
}

// ---------------------------------------------------------------------------------------------
// Me
// ---------------------------------------------------------------------------------------------

export async function getMe(signal?: AbortSignal): Promise<Me> {
  const { data } = await send(() => api().GET("/api/v1/me", { signal }));
  return data;
}

export async function updateMe(changes: MeUpdate): Promise<Me> {
  const { data } = await send(() => api().PATCH("/api/v1/me", { body: changes }));
  return data;
}

/** What a password change reports back (from a response header, not the body). */
export interface PasswordChanged {
  /** How many personal access tokens the change revoked; null when the server did not say. */
  personalTokensRevoked: number | null;
}

/** The server reports in a header how many personal access tokens the change revoked. */
export const TOKENS_REVOKED_HEADER = "Personal-Tokens-Revoked";

/** 204. Every token issued before it stops working, so callers sign in again afterwards. */
export async function changePassword(input: PasswordChange): Promise<PasswordChanged> {
  const { response } = await send(() => api().POST("/api/v1/me/password", { body: input }));
  const header = response.headers.get(TOKENS_REVOKED_HEADER);
  const count = header === null ? NaN : Number(header);
  return { personalTokensRevoked: Number.isInteger(count) && count >= 0 ? count : null };
}

// ---------------------------------------------------------------------------------------------
// The e-mail address, verification and password reset
// ---------------------------------------------------------------------------------------------

/** PUT /me/email: the new address starts unverified; a link is mailed to it. */
export async function changeEmail(input: EmailChange): Promise<Me> {
  const { data } = await send(() => api().PUT("/api/v1/me/email", { body: input }));
  return data;
}

/** POST /me/email/verification: mail a new verification link (a few an hour). */
export async function resendVerification(): Promise<void> {
  await send(() => api().POST("/api/v1/me/email/verification"));
}

/** POST /auth/verify-email with the token of the mailed link; no session needed. */
export async function verifyEmail(token: string): Promise<void> {
  await send(() => api().POST("/api/v1/auth/verify-email", { body: { token }, fetch: rawFetch }));
}

/** POST /auth/password-reset: always 202, whether or not an account has the address. */
export async function requestPasswordReset(email: string): Promise<void> {
  await send(() => api().POST("/api/v1/auth/password-reset", { body: { email }, fetch: rawFetch }));
}

/** POST /auth/password-reset/confirm: sets the password and ends every session. */
export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  await send(() =>
    api().POST("/api/v1/auth/password-reset/confirm", {
      body: { token, new_password: newPassword },
      fetch: rawFetch,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Personal access tokens
// ---------------------------------------------------------------------------------------------

export async function listTokens(params: PageParams = {}, signal?: AbortSignal): Promise<Page<PersonalAccessToken>> {
  const { data } = await send(() =>
    api().GET("/api/v1/me/tokens", { params: { query: { cursor: params.cursor, limit: params.limit } }, signal }),
  );
  return data;
}

export async function createToken(input: PersonalAccessTokenCreate): Promise<PersonalAccessTokenCreated> {
  const { data } = await send(() => api().POST("/api/v1/me/tokens", { body: input }));
  return data;
}

export async function revokeToken(id: string): Promise<void> {
  await send(() => api().DELETE("/api/v1/me/tokens/{token_id}", { params: { path: { token_id: id } } }));
}

// ---------------------------------------------------------------------------------------------
// Communities
// ---------------------------------------------------------------------------------------------

const community = (slug: string) => ({ params: { path: { slug } } });

export async function listCommunities(
  params: PageParams & { q?: string | null; mine?: boolean; sort?: CommunitySort } = {},
  signal?: AbortSignal,
): Promise<Page<Community>> {
  const { data } = await send(() =>
    api().GET("/api/v1/communities", {
      params: {
        query: {
          q: term(params.q),
          member: params.mine ? "me" : undefined,
          sort: params.sort,
          cursor: params.cursor,
          limit: params.limit,
        },
      },
      signal,
    }),
  );
  return data;
}

/**
 * 201. `idempotencyKey` makes a retried submit (after a network error) safe: the server
 * answers a replay with the first response instead of creating a second community.
 * 409 when the slug is taken; 422 with `errors` for invalid fields.
 */
export async function createCommunity(input: CommunityCreate, idempotencyKey?: string): Promise<Community> {
  const { data } = await send(() =>
    api().POST("/api/v1/communities", { params: { header: idempotency(idempotencyKey) }, body: input }),
  );
  return data;
}

/** The community with its `ETag`, to send back as `If-Match` when editing. 404 when missing or invisible. */
export async function getCommunity(slug: string, signal?: AbortSignal): Promise<Versioned<Community>> {
  const { data, response } = await send(() => api().GET("/api/v1/communities/{slug}", { ...community(slug), signal }));
  return { data, etag: response.headers.get("ETag") };
}

/** Stewards only. With `etag`, a change made meanwhile by someone else fails with 412. */
export async function updateCommunity(
  slug: string,
  changes: CommunityUpdate,
  etag: string | null,
): Promise<Versioned<Community>> {
  const { data, response } = await send(() =>
    api().PATCH("/api/v1/communities/{slug}", { ...community(slug), body: changes, headers: ifMatch(etag) }),
  );
  return { data, etag: response.headers.get("ETag") };
}

/** 204. The community becomes read-only and leaves the directory. */
export async function archiveCommunity(slug: string): Promise<void> {
  await send(() => api().DELETE("/api/v1/communities/{slug}", community(slug)));
}

export async function listMembers(
  slug: string,
  params: PageParams & { role?: CommunityRole; status?: MembershipStatus } = {},
  signal?: AbortSignal,
): Promise<Page<Member>> {
  const { data } = await send(() =>
    api().GET("/api/v1/communities/{slug}/members", {
      params: {
        path: { slug },
        query: { role: params.role, status: params.status, cursor: params.cursor, limit: params.limit },
      },
      signal,
    }),
  );
  return data;
}

/** Open → active; approval → pending; invite-only without an invitation → 403. */
export async function joinCommunity(slug: string): Promise<MyMembership> {
  const { data } = await send(() => api().POST("/api/v1/communities/{slug}/members", community(slug)));
  return data;
}

/** 204. Also withdraws a pending request. The last steward cannot leave (409). */
export async function leaveCommunity(slug: string): Promise<void> {
  await send(() => api().DELETE("/api/v1/communities/{slug}/members/me", community(slug)));
}

export async function updateMyMembership(slug: string, notifyLevel: NotifyLevel): Promise<MyMembership> {
  const { data } = await send(() =>
    api().PATCH("/api/v1/communities/{slug}/members/me", { ...community(slug), body: { notify_level: notifyLevel } }),
  );
  return data;
}

/** Approve a request (moderators+) or change a role (stewards). */
export async function updateMember(slug: string, handle: string, changes: MemberUpdate): Promise<Member> {
  const { data } = await send(() =>
    api().PATCH("/api/v1/communities/{slug}/members/{handle}", { params: { path: { slug, handle } }, body: changes }),
  );
  return data;
}

/** 204. Removes a member or rejects a pending request. */
export async function removeMember(slug: string, handle: string): Promise<void> {
  await send(() =>
    api().DELETE("/api/v1/communities/{slug}/members/{handle}", { params: { path: { slug, handle } } }),
  );
}

export async function createInvitation(slug: string, handle: string): Promise<Invitation> {
  const { data } = await send(() =>
    api().POST("/api/v1/communities/{slug}/invitations", { ...community(slug), body: { handle } }),
  );
  return data;
}

/** Stewards only (403 for others): the community's open invitations, newest first. */
export async function listCommunityInvitations(
  slug: string,
  params: PageParams = {},
  signal?: AbortSignal,
): Promise<Page<PendingInvitation>> {
  const { data } = await send(() =>
    api().GET("/api/v1/communities/{slug}/invitations", {
      params: { path: { slug }, query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** 204. Stewards withdraw an open invitation; 404 when that person holds none. */
export async function revokeInvitation(slug: string, handle: string): Promise<void> {
  await send(() =>
    api().DELETE("/api/v1/communities/{slug}/invitations/{handle}", { params: { path: { slug, handle } } }),
  );
}

/** The caller's pending invitations. */
export async function listMyInvitations(params: PageParams = {}, signal?: AbortSignal): Promise<Page<Invitation>> {
  const { data } = await send(() =>
    api().GET("/api/v1/me/invitations", { params: { query: { cursor: params.cursor, limit: params.limit } }, signal }),
  );
  return data;
}

export async function createNomination(slug: string, input: NominationCreate): Promise<Nomination> {
  const { data } = await send(() =>
    api().POST("/api/v1/communities/{slug}/nominations", { ...community(slug), body: input }),
  );
  return data;
}

/** Stewards only (403 for everyone else). */
export async function listNominations(
  slug: string,
  params: PageParams & { status?: NominationStatus } = {},
  signal?: AbortSignal,
): Promise<Page<Nomination>> {
  const { data } = await send(() =>
    api().GET("/api/v1/communities/{slug}/nominations", {
      params: { path: { slug }, query: { status: params.status, cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

export async function decideNomination(slug: string, id: string, decision: "accept" | "decline"): Promise<Nomination> {
  const init = { params: { path: { slug, nomination_id: id } } };
  const { data } = await send(() =>
    decision === "accept"
      ? api().POST("/api/v1/communities/{slug}/nominations/{nomination_id}/accept", init)
      : api().POST("/api/v1/communities/{slug}/nominations/{nomination_id}/decline", init),
  );
  return data;
}

export async function getCommunityStats(slug: string, signal?: AbortSignal): Promise<CommunityStats> {
  const { data } = await send(() => api().GET("/api/v1/communities/{slug}/stats", { ...community(slug), signal }));
  return data;
}

/** Newest first. 403 when the caller may not see it (private community, not a member). */
export async function getAuditLog(slug: string, params: PageParams = {}, signal?: AbortSignal): Promise<Page<AuditEntry>> {
  const { data } = await send(() =>
    api().GET("/api/v1/communities/{slug}/audit-log", {
      params: { path: { slug }, query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

// ---------------------------------------------------------------------------------------------
// People, skills, endorsements, learning goals, mentorship: openapi-fetch (see `api()` below)
// ---------------------------------------------------------------------------------------------

/** An empty or blank search term is left out (the API would treat "" as a search). */
function term(q: string | null | undefined): string | undefined {
  const trimmed = q?.trim() ?? "";
  return trimmed === "" ? undefined : trimmed;
}

/** Search by the start of a name or handle. */
export async function listUsers(
  params: PageParams & { q?: string | null } = {},
  signal?: AbortSignal,
): Promise<Page<UserSummary>> {
  const { data } = await send(() =>
    api().GET("/api/v1/users", {
      params: { query: { q: term(params.q), cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** Profile with the strongest skills, mentor profile and contribution stats. 404 when no one has the handle. */
export async function getUser(handle: string, signal?: AbortSignal): Promise<UserProfile> {
  const { data } = await send(() => api().GET("/api/v1/users/{handle}", { params: { path: { handle } }, signal }));
  return data;
}

/** `q` matches the start of names and aliases (case, spaces and punctuation ignored). */
export async function listSkills(
  params: PageParams & {
    q?: string | null;
    category?: SkillCategory | null;
    sort?: SkillSort;
    /** `false`: the skills waiting for an administrator's review (administrators only). */
    listed?: boolean;
  } = {},
  signal?: AbortSignal,
): Promise<Page<Skill>> {
  const { data } = await send(() =>
    api().GET("/api/v1/skills", {
      params: {
        query: {
          q: term(params.q),
          category: params.category ?? undefined,
          sort: params.sort,
          listed: params.listed,
          cursor: params.cursor,
          limit: params.limit,
        },
      },
      signal,
    }),
  );
  return data;
}

/** 201. 409 when the name or an alias matches an existing skill; the problem's detail names it. */
export async function createSkill(input: SkillCreate): Promise<Skill> {
  const { data } = await send(() => api().POST("/api/v1/skills", { body: input }));
  return data;
}

/** Administrators curate the taxonomy; e.g. `{ listed: true }` lists a skill waiting for review. */
export async function updateSkill(slug: string, input: SkillUpdate): Promise<Skill> {
  const { data } = await send(() => api().PATCH("/api/v1/skills/{slug}", { params: { path: { slug } }, body: input }));
  return data;
}

/** A former slug or an alias finds the skill too (the response carries the current slug). */
export async function getSkill(slug: string, signal?: AbortSignal): Promise<Skill> {
  const { data } = await send(() => api().GET("/api/v1/skills/{slug}", { params: { path: { slug } }, signal }));
  return data;
}

/** Ranked by the public score; `score` and `parts` are as the caller sees them. `minLevel` leaves out people below it. */
export async function listSkillExperts(
  slug: string,
  params: PageParams & { minLevel?: number } = {},
  signal?: AbortSignal,
): Promise<Page<Expert>> {
  const { data } = await send(() =>
    api().GET("/api/v1/skills/{slug}/experts", {
      params: { path: { slug }, query: { cursor: params.cursor, limit: params.limit, min_level: params.minLevel } },
      signal,
    }),
  );
  return data;
}

/** How many people list the skill at each level, novice (1) to expert (5). */
export async function getSkillLevels(slug: string, signal?: AbortSignal): Promise<{ level: number; count: number }[]> {
  const { data } = await send(() => api().GET("/api/v1/skills/{slug}/levels", { params: { path: { slug } }, signal }));
  return data.levels;
}

/** Strongest first (level, then name). */
export async function listUserSkills(
  handle: string,
  params: PageParams = {},
  signal?: AbortSignal,
): Promise<Page<UserSkill>> {
  const { data } = await send(() =>
    api().GET("/api/v1/users/{handle}/skills", {
      params: { path: { handle }, query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** Adds the skill to the caller's profile or changes its level (upsert). */
export async function setMySkill(slug: string, input: UserSkillPut): Promise<UserSkill> {
  const { data } = await send(() => api().PUT("/api/v1/me/skills/{slug}", { params: { path: { slug } }, body: input }));
  return data;
}

/** 204. The endorsements received for the skill go with it. */
export async function removeMySkill(slug: string): Promise<void> {
  await send(() => api().DELETE("/api/v1/me/skills/{slug}", { params: { path: { slug } } }));
}

/** 201 the first time, 200 when it replaces the note and evidence. Self → 403; skill not listed → 404. */
export async function endorseSkill(handle: string, slug: string, input: EndorsementPut): Promise<Endorsement> {
  const { data } = await send(() =>
    api().PUT("/api/v1/users/{handle}/skills/{slug}/endorsement", { params: { path: { handle, slug } }, body: input }),
  );
  return data;
}

/** 204. */
export async function withdrawEndorsement(handle: string, slug: string): Promise<void> {
  await send(() =>
    api().DELETE("/api/v1/users/{handle}/skills/{slug}/endorsement", { params: { path: { handle, slug } } }),
  );
}

/** Newest first, with notes. */
export async function listSkillEndorsements(
  handle: string,
  slug: string,
  params: PageParams = {},
  signal?: AbortSignal,
): Promise<Page<Endorsement>> {
  const { data } = await send(() =>
    api().GET("/api/v1/users/{handle}/skills/{slug}/endorsements", {
      params: { path: { handle, slug }, query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

export async function listLearningGoals(
  params: PageParams & { status?: GoalStatus } = {},
  signal?: AbortSignal,
): Promise<Page<LearningGoal>> {
  const { data } = await send(() =>
    api().GET("/api/v1/me/learning-goals", {
      params: { query: { status: params.status, cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** 201. One goal per skill: a second one is a 409. */
export async function createLearningGoal(input: LearningGoalCreate): Promise<LearningGoal> {
  const { data } = await send(() => api().POST("/api/v1/me/learning-goals", { body: input }));
  return data;
}

export async function updateLearningGoal(id: string, changes: LearningGoalUpdate): Promise<LearningGoal> {
  const { data } = await send(() =>
    api().PATCH("/api/v1/me/learning-goals/{goal_id}", { params: { path: { goal_id: id } }, body: changes }),
  );
  return data;
}

/** 204. */
export async function deleteLearningGoal(id: string): Promise<void> {
  await send(() => api().DELETE("/api/v1/me/learning-goals/{goal_id}", { params: { path: { goal_id: id } } }));
}

/** 404 until the caller has offered to mentor. */
export async function getMyMentorProfile(signal?: AbortSignal): Promise<MentorProfile> {
  const { data } = await send(() => api().GET("/api/v1/me/mentor-profile", { signal }));
  return data;
}

export async function putMyMentorProfile(input: MentorProfilePut): Promise<MentorProfile> {
  const { data } = await send(() => api().PUT("/api/v1/me/mentor-profile", { body: input }));
  return data;
}

/** Best first. Without `skill`, for the caller's active learning goals (none: an empty page). */
export async function listMentors(
  params: PageParams & { skill?: string | null } = {},
  signal?: AbortSignal,
): Promise<Page<MentorRecommendation>> {
  const { data } = await send(() =>
    api().GET("/api/v1/mentors", {
      params: { query: { skill: params.skill ?? undefined, cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** 201 `requested`. 409 when the mentor is not accepting, full, or already asked for this skill. */
export async function createMentorship(input: MentorshipCreate): Promise<Mentorship> {
  const { data } = await send(() => api().POST("/api/v1/mentorships", { body: input }));
  return data;
}

/** The caller's own, newest first. */
export async function listMentorships(
  params: PageParams & { role?: MentorshipRole; status?: MentorshipStatus } = {},
  signal?: AbortSignal,
): Promise<Page<Mentorship>> {
  const { data } = await send(() =>
    api().GET("/api/v1/mentorships", {
      params: { query: { role: params.role, status: params.status, cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

const mentorshipId = (id: string) => ({ params: { path: { mentorship_id: id } } });

/** Mentor only. 409 when the request was answered meanwhile or the mentor has no places left. */
export async function acceptMentorship(id: string): Promise<Mentorship> {
  const { data } = await send(() => api().POST("/api/v1/mentorships/{mentorship_id}/accept", mentorshipId(id)));
  return data;
}

/** Mentor only; the mentee sees the reason. */
export async function declineMentorship(id: string, reason?: string | null): Promise<Mentorship> {
  const { data } = await send(() =>
    api().POST("/api/v1/mentorships/{mentorship_id}/decline", { ...mentorshipId(id), body: { reason: reason ?? null } }),
  );
  return data;
}

/** Mentee only: withdraws a request that has no answer yet. */
export async function cancelMentorship(id: string): Promise<Mentorship> {
  const { data } = await send(() => api().POST("/api/v1/mentorships/{mentorship_id}/cancel", mentorshipId(id)));
  return data;
}

/** Either participant; only the mentor may send `confirmedLevel`. */
export async function completeMentorship(id: string, confirmedLevel?: number | null): Promise<Mentorship> {
  const { data } = await send(() =>
    api().POST("/api/v1/mentorships/{mentorship_id}/complete", {
      ...mentorshipId(id),
      body: { confirmed_level: confirmedLevel ?? null },
    }),
  );
  return data;
}

/** Most recent first; readable in any status. */
export async function listMentorshipSessions(
  id: string,
  params: PageParams = {},
  signal?: AbortSignal,
): Promise<Page<MentorshipSession>> {
  const { data } = await send(() =>
    api().GET("/api/v1/mentorships/{mentorship_id}/sessions", {
      params: { path: { mentorship_id: id }, query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** 201. Active mentorships only (409 otherwise); not in the future (422). */
export async function logMentorshipSession(id: string, input: SessionCreate): Promise<MentorshipSession> {
  const { data } = await send(() =>
    api().POST("/api/v1/mentorships/{mentorship_id}/sessions", { ...mentorshipId(id), body: input }),
  );
  return data;
}

/** 201. Completed mentorships only, once per participant (409 the second time). */
export async function giveMentorshipFeedback(id: string, input: FeedbackCreate): Promise<Feedback> {
  const { data } = await send(() =>
    api().POST("/api/v1/mentorships/{mentorship_id}/feedback", { ...mentorshipId(id), body: input }),
  );
  return data;
}

// ---------------------------------------------------------------------------------------------
// Posts, comments, feed, search, reports: typed from the OpenAPI document (openapi-fetch)
// ---------------------------------------------------------------------------------------------

export async function getFeed(
  params: PageParams & { sort?: FeedSort } = {},
  signal?: AbortSignal,
): Promise<Page<Post>> {
  const { data } = await send(() =>
    api().GET("/api/v1/feed", {
      params: { query: { sort: params.sort, cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** Questions nobody has answered yet, on skills the caller holds (the last 30 days). */
export async function listUnansweredQuestions(params: PageParams = {}, signal?: AbortSignal): Promise<Page<Post>> {
  const { data } = await send(() =>
    api().GET("/api/v1/me/unanswered-questions", {
      params: { query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** Public communities' best-scored recent posts: shown while the caller's own feed is empty. */
export async function listPopularPosts(params: PageParams = {}, signal?: AbortSignal): Promise<Page<Post>> {
  const { data } = await send(() =>
    api().GET("/api/v1/feed/popular", {
      params: { query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

export interface PostFilters {
  sort?: PostSort;
  kind?: PostKind | null;
  tag?: string | null;
  pinned?: boolean | null;
}

export async function listCommunityPosts(
  slug: string,
  params: PageParams & PostFilters = {},
  signal?: AbortSignal,
): Promise<Page<Post>> {
  const { data } = await send(() =>
    api().GET("/api/v1/communities/{slug}/posts", {
      params: {
        path: { slug },
        query: {
          sort: params.sort,
          kind: params.kind,
          tag: params.tag,
          pinned: params.pinned,
          cursor: params.cursor,
          limit: params.limit,
        },
      },
      signal,
    }),
  );
  return data;
}

/** 201. Members only (403 otherwise); archived community → 409; 422 with `errors` for invalid fields. */
export async function createPost(slug: string, input: PostCreate, idempotencyKey?: string): Promise<Post> {
  const { data } = await send(() =>
    api().POST("/api/v1/communities/{slug}/posts", {
      params: { path: { slug }, header: idempotencyKey ? { "idempotency-key": idempotencyKey } : undefined },
      body: input,
    }),
  );
  return data;
}

/** The post with its `ETag`, for `If-Match` when editing. 404 when missing, deleted or invisible. */
export async function getPost(id: string, signal?: AbortSignal): Promise<Versioned<Post>> {
  const { data, response } = await send(() =>
    api().GET("/api/v1/posts/{post_id}", { params: { path: { post_id: id } }, signal }),
  );
  return { data, etag: response.headers.get("ETag") };
}

/** With `etag`, a change made meanwhile (an edit, a pin, an accepted answer) fails with 412. */
export async function updatePost(id: string, changes: PostUpdate, etag?: string | null): Promise<Versioned<Post>> {
  const { data, response } = await send(() =>
    api().PATCH("/api/v1/posts/{post_id}", {
      params: { path: { post_id: id } },
      body: changes,
      headers: ifMatch(etag),
    }),
  );
  return { data, etag: response.headers.get("ETag") };
}

/** 204, soft delete. The author, or a moderator. */
export async function deletePost(id: string): Promise<void> {
  await send(() => api().DELETE("/api/v1/posts/{post_id}", { params: { path: { post_id: id } } }));
}

/** 204, idempotent. Never on one's own post (403). */
export async function setPostReaction(id: string, kind: ReactionKind, on: boolean): Promise<void> {
  const init = { params: { path: { post_id: id, kind } } };
  await send(() =>
    on
      ? api().PUT("/api/v1/posts/{post_id}/reactions/{kind}", init)
      : api().DELETE("/api/v1/posts/{post_id}/reactions/{kind}", init),
  );
}

/** Oldest first; replies carry `parent_id`. */
export async function listComments(
  postId: string,
  params: PageParams = {},
  signal?: AbortSignal,
): Promise<Page<PostComment>> {
  const { data } = await send(() =>
    api().GET("/api/v1/posts/{post_id}/comments", {
      params: { path: { post_id: postId }, query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** 201. Locked post → 409; `parent_id` must be a top-level comment of the post (else 422). */
export async function createComment(postId: string, input: CommentCreate): Promise<PostComment> {
  const { data } = await send(() =>
    api().POST("/api/v1/posts/{post_id}/comments", { params: { path: { post_id: postId } }, body: input }),
  );
  return data;
}

/** The author only. Attachments stay as they are. */
export async function updateComment(id: string, body: string): Promise<PostComment> {
  const { data } = await send(() =>
    api().PATCH("/api/v1/comments/{comment_id}", { params: { path: { comment_id: id } }, body: { body } }),
  );
  return data;
}

// ---------------------------------------------------------------------------------------------
// Uploads
// ---------------------------------------------------------------------------------------------

interface XhrResult {
  status: number;
  statusText: string;
  body: string;
  headers: Headers;
}

function headersOf(xhr: XMLHttpRequest): Headers {
  const headers = new Headers();
  for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
    const at = line.indexOf(":");
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return headers;
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** One multipart POST with upload progress (fetch cannot report it), carrying the bearer token. */
function postFile(
  file: Blob,
  filename: string,
  token: string | null,
  onProgress: ((fraction: number) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<XhrResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_BASE_URL}/api/v1/uploads`);
    xhr.setRequestHeader("Accept", ACCEPT);
    if (token !== null) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      resolve({ status: xhr.status, statusText: xhr.statusText, body: xhr.responseText, headers: headersOf(xhr) });
    };
    xhr.onerror = () => {
      reject(new NetworkError(new Error("upload failed")));
    };
    xhr.onabort = () => {
      reject(new DOMException("The upload was cancelled.", "AbortError"));
    };
    signal?.addEventListener("abort", () => {
      xhr.abort();
    });
    const form = new FormData();
    form.append("file", file, filename);
    xhr.send(form);
  });
}

/**
 * `POST /uploads`: an image or document for a post or comment, with progress from 0 to 1. Like
 * `authFetch`, a 401 refreshes the session once and retries once.
 */
export async function uploadFile(
  file: Blob,
  filename: string,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Attachment> {
  const usedToken = accessToken;
  let result = await postFile(file, filename, usedToken, onProgress, signal);
  if (result.status === 401) {
    const renewed = (accessToken !== null && accessToken !== usedToken) || (await refreshSession().catch(() => false));
    if (renewed) result = await postFile(file, filename, accessToken, onProgress, signal);
    if (result.status === 401) endSession("expired");
  }
  const body = parseJson(result.body);
  if (result.status !== 201) {
    const response = new Response(null, { status: result.status, statusText: result.statusText, headers: result.headers });
    throw apiErrorFrom(body, response);
  }
  return body as Attachment;
}

/** An upload's bytes (its `url` or `thumbnail_url`), read with the session's bearer token. */
export async function fetchUpload(url: string, signal?: AbortSignal): Promise<Blob> {
  let response: Response;
  try {
    response = await authFetch(`${API_BASE_URL}${url}`, { signal, cache: "no-store" });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new NetworkError(error);
  }
  if (!response.ok) throw apiErrorFrom(parseJson(await response.text()), response);
  return await response.blob();
}

/** 204. The author, or a moderator. */
export async function deleteComment(id: string): Promise<void> {
  await send(() => api().DELETE("/api/v1/comments/{comment_id}", { params: { path: { comment_id: id } } }));
}

export async function setCommentReaction(id: string, kind: ReactionKind, on: boolean): Promise<void> {
  const init = { params: { path: { comment_id: id, kind } } };
  await send(() =>
    on
      ? api().PUT("/api/v1/comments/{comment_id}/reactions/{kind}", init)
      : api().DELETE("/api/v1/comments/{comment_id}/reactions/{kind}", init),
  );
}

/** The question's author or a moderator; `null` withdraws the acceptance. Not a question → 409. */
export async function setAcceptedAnswer(postId: string, commentId: string | null): Promise<Post> {
  const path = { post_id: postId };
  const { data } = await send(() =>
    commentId === null
      ? api().DELETE("/api/v1/posts/{post_id}/accepted-answer", { params: { path } })
      : api().PUT("/api/v1/posts/{post_id}/accepted-answer", { params: { path }, body: { comment_id: commentId } }),
  );
  return data;
}

/** 201. Members flag a post or a comment for the community's moderators. */
export async function reportContent(
  target: "post" | "comment",
  id: string,
  input: ReportCreate,
): Promise<ReportCreated> {
  const { data } = await send(() =>
    target === "post"
      ? api().POST("/api/v1/posts/{post_id}/reports", { params: { path: { post_id: id } }, body: input })
      : api().POST("/api/v1/comments/{comment_id}/reports", { params: { path: { comment_id: id } }, body: input }),
  );
  return data;
}

/** Moderators only (403 otherwise). */
export async function listReports(
  slug: string,
  params: PageParams & { status?: ReportStatus } = {},
  signal?: AbortSignal,
): Promise<Page<Report>> {
  const { data } = await send(() =>
    api().GET("/api/v1/communities/{slug}/reports", {
      params: { path: { slug }, query: { status: params.status, cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** Dismiss, or remove the reported content; the audit log records it. Already resolved → 409. */
export async function resolveReport(id: string, input: ReportResolve): Promise<Report> {
  const { data } = await send(() =>
    api().POST("/api/v1/reports/{report_id}/resolve", { params: { path: { report_id: id } }, body: input }),
  );
  return data;
}

export interface PostSearch {
  q: string;
  community?: string | null;
  kind?: PostKind | null;
  tag?: string | null;
}

/** Ranked full-text search; each hit's `snippet` is HTML with `<mark>` around the matches. */
export async function searchPosts(params: PageParams & PostSearch, signal?: AbortSignal): Promise<Page<PostSearchHit>> {
  const { data } = await send(() =>
    api().GET("/api/v1/search/posts", {
      params: {
        query: {
          q: params.q,
          community: params.community,
          kind: params.kind,
          tag: params.tag,
          cursor: params.cursor,
          limit: params.limit,
        },
      },
      signal,
    }),
  );
  return data;
}

/** A post's or comment's Markdown as the server will show it once saved (sanitized, mentions linked). */
export async function previewMarkdown(body: string, signal?: AbortSignal): Promise<string> {
  const { data } = await send(() => api().POST("/api/v1/markdown/preview", { body: { body }, signal }));
  return data.html;
}

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

/** The caller's inbox, newest first; `unread` keeps only unread lines. */
export async function listNotifications(
  params: PageParams & { unread?: boolean } = {},
  signal?: AbortSignal,
): Promise<Page<InboxItem>> {
  const { data } = await send(() =>
    api().GET("/api/v1/me/notifications", {
      params: { query: { unread: params.unread, cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

/** How many inbox lines are unread (a grouped line counts once). */
export async function getUnreadCount(signal?: AbortSignal): Promise<number> {
  const { data } = await send(() => api().GET("/api/v1/me/notifications/unread-count", { signal }));
  return data.unread;
}

/** 204, idempotent. */
export async function markNotificationRead(id: string): Promise<void> {
  await send(() =>
    api().POST("/api/v1/me/notifications/{notification_id}/read", { params: { path: { notification_id: id } } }),
  );
}

/** 204. Marks `upTo` and everything older read, so what arrived meanwhile stays unread. */
export async function markAllNotificationsRead(upTo: string | null): Promise<void> {
  await send(() => api().POST("/api/v1/me/notifications/read-all", { body: { up_to: upTo } }));
}

export async function getNotificationPreferences(signal?: AbortSignal): Promise<NotificationPreferences> {
  const { data } = await send(() => api().GET("/api/v1/me/notification-preferences", { signal }));
  return data;
}

/** Changes the kinds given; a channel left out keeps its setting. Answers every kind. */
export async function setNotificationPreferences(input: NotificationPreferencesUpdate): Promise<NotificationPreferences> {
  const { data } = await send(() => api().PUT("/api/v1/me/notification-preferences", { body: input }));
  return data;
}

/** Whether the caller watches the post (is told of every new comment), and why. */
export async function getPostWatch(postId: string, signal?: AbortSignal): Promise<PostWatch> {
  const { data } = await send(() => api().GET("/api/v1/posts/{post_id}/watch", { params: { path: { post_id: postId } }, signal }));
  return data;
}

/** 204, idempotent: "not for me", no more nudges to the caller about this question. */
export async function dismissNudge(postId: string): Promise<void> {
  await send(() => api().POST("/api/v1/posts/{post_id}/nudge/dismiss", { params: { path: { post_id: postId } } }));
}

/** The e-mail digest and the mention and mentorship e-mail switches (the per-kind e-mail too). */
export async function getNotificationSettings(signal?: AbortSignal): Promise<NotificationSettings> {
  const { data } = await send(() => api().GET("/api/v1/me/notification-settings", { signal }));
  return data;
}

/** A field left out keeps its setting; answers all of them. */
export async function setNotificationSettings(input: NotificationSettingsUpdate): Promise<NotificationSettings> {
  const { data } = await send(() => api().PUT("/api/v1/me/notification-settings", { body: input }));
  return data;
}

/** What a mail's unsubscribe link would turn off (no sign-in; changes nothing). */
export async function describeUnsubscribe(token: string, signal?: AbortSignal): Promise<UnsubscribeResult> {
  const { data } = await send(() =>
    api().GET("/api/v1/unsubscribe", { params: { query: { token } }, signal, fetch: rawFetch }),
  );
  return data;
}

/** Turns off what the link names, as a mail client's one-click POST does (no sign-in). */
export async function confirmUnsubscribe(token: string): Promise<UnsubscribeResult> {
  const { data } = await send(() =>
    api().POST("/api/v1/unsubscribe", {
      params: { query: { token } },
      body: { "List-Unsubscribe": "One-Click" },
      headers: FORM,
      fetch: rawFetch,
    }),
  );
  return data;
}

/** 204, idempotent: be told of every new comment on the post, or stop. */
export async function setPostWatch(postId: string, on: boolean): Promise<void> {
  const init = { params: { path: { post_id: postId } } };
  await send(() =>
    on ? api().PUT("/api/v1/posts/{post_id}/watch", init) : api().DELETE("/api/v1/posts/{post_id}/watch", init),
  );
}

/** Where the live inbox streams from (Server-Sent Events), given a ticket. */
export function notificationStreamUrl(ticket: string): string {
  const base = API_BASE_URL || globalThis.location.origin;
  return `${base}/api/v1/me/notifications/stream?ticket=${encodeURIComponent(ticket)}`;
}

/**
 * A single-use ticket (valid 60 s) to open the live inbox: EventSource cannot send the bearer
 * token, so the ticket carries the caller's identity into the stream's URL. 404 where the server
 * has no stream.
 */
export async function createStreamTicket(): Promise<StreamTicket> {
  const { data } = await send(() => api().POST("/api/v1/me/notifications/stream-ticket"));
  return data;
}

// ---------------------------------------------------------------------------------------------
// Insights: skills gap and bus factor
// ---------------------------------------------------------------------------------------------

/** GET /insights/skills: the organisation (administrators) or one community, by gap or risk. */
export async function listSkillInsights(
  params: PageParams & { sort?: SkillInsightSort; community?: string | null } = {},
  signal?: AbortSignal,
): Promise<Page<SkillInsight>> {
  const { data } = await send(() =>
    api().GET("/api/v1/insights/skills", {
      params: {
        query: {
          sort: params.sort,
          community: params.community ?? undefined,
          cursor: params.cursor,
          limit: params.limit,
        },
      },
      signal,
    }),
  );
  return data;
}

// ---------------------------------------------------------------------------------------------
// Leadership insights
// ---------------------------------------------------------------------------------------------

/** A person's leadership acts, newest first (private communities only to their members). */
export async function listLedger(handle: string, params: PageParams = {}, signal?: AbortSignal): Promise<Page<LeadershipAct>> {
  const { data } = await send(() =>
    api().GET("/api/v1/users/{handle}/ledger", {
      params: { path: { handle }, query: { cursor: params.cursor, limit: params.limit } },
      signal,
    }),
  );
  return data;
}

export async function getLedgerSummary(handle: string, signal?: AbortSignal): Promise<LedgerSummary> {
  const { data } = await send(() => api().GET("/api/v1/users/{handle}/ledger/summary", { params: { path: { handle } }, signal }));
  return data;
}

/** The caller's whole ledger as a file (CSV or JSON), fetched with the session's token. */
export async function exportMyLedger(format: "csv" | "json"): Promise<Blob> {
  const { data } = await send(() =>
    api().GET("/api/v1/me/ledger/export", { params: { query: { format } }, parseAs: "blob" }),
  );
  return data;
}

export async function getCommunityHealth(slug: string, weeks = 26, signal?: AbortSignal): Promise<CommunityHealth> {
  const { data } = await send(() =>
    api().GET("/api/v1/communities/{slug}/health", { params: { path: { slug }, query: { weeks } }, signal }),
  );
  return data;
}

export async function getOrganisationHealth(weeks = 26, signal?: AbortSignal): Promise<OrganisationHealth> {
  const { data } = await send(() => api().GET("/api/v1/insights/health", { params: { query: { weeks } }, signal }));
  return data;
}

// ---------------------------------------------------------------------------------------------
// Push notifications: this browser's Web Push subscription
// ---------------------------------------------------------------------------------------------

/** The VAPID public key to subscribe with; 404 when the server has Web Push off. */
export async function getVapidPublicKey(signal?: AbortSignal): Promise<string> {
  const { data } = await send(() => api().GET("/api/v1/push/vapid-public-key", { signal }));
  return data.public_key;
}

/** Registers (or refreshes) a subscription; the same endpoint again updates the same device. */
export async function registerDevice(input: WebPushDeviceCreate, idempotencyKey?: string): Promise<Device> {
  const { data } = await send(() =>
    api().POST("/api/v1/me/devices", { params: { header: idempotency(idempotencyKey) }, body: input }),
  );
  return data;
}

export async function listDevices(params: PageParams = {}, signal?: AbortSignal): Promise<Page<Device>> {
  const { data } = await send(() =>
    api().GET("/api/v1/me/devices", { params: { query: { cursor: params.cursor, limit: params.limit } }, signal }),
  );
  return data;
}

export async function deleteDevice(id: string): Promise<void> {
  await send(() => api().DELETE("/api/v1/me/devices/{device_id}", { params: { path: { device_id: id } } }));
}

// ---------------------------------------------------------------------------------------------
// Webhooks: the organisation's (administrators) and a community's (its stewards)
// ---------------------------------------------------------------------------------------------

/** Whose webhooks: the organisation's (`slug` null) or one community's. */
export interface WebhookOwner {
  slug: string | null;
}

function webhookPath(webhookId: string) {
  return { params: { path: { webhook_id: webhookId } } };
}

function communityWebhookPath(slug: string, webhookId: string) {
  return { params: { path: { slug, webhook_id: webhookId } } };
}

export async function listWebhooks(
  owner: WebhookOwner,
  params: PageParams = {},
  signal?: AbortSignal,
): Promise<Page<Webhook>> {
  const query = { cursor: params.cursor, limit: params.limit };
  const { slug } = owner;
  const { data } = await send(() =>
    slug === null
      ? api().GET("/api/v1/webhooks", { params: { query }, signal })
      : api().GET("/api/v1/communities/{slug}/webhooks", { params: { path: { slug }, query }, signal }),
  );
  return data;
}

/** 201 with the signing secret, which no other answer carries. Honours Idempotency-Key. */
export async function createWebhook(
  owner: WebhookOwner,
  input: WebhookCreate,
  idempotencyKey?: string,
): Promise<Versioned<WebhookWithSecret>> {
  const header = idempotency(idempotencyKey);
  const { slug } = owner;
  const { data, response } = await send(() =>
    slug === null
      ? api().POST("/api/v1/webhooks", { params: { header }, body: input })
      : api().POST("/api/v1/communities/{slug}/webhooks", { params: { path: { slug }, header }, body: input }),
  );
  return { data, etag: response.headers.get("ETag") };
}

/** The webhook with its `ETag`, to send back as `If-Match` when editing. */
export async function getWebhook(owner: WebhookOwner, id: string, signal?: AbortSignal): Promise<Versioned<Webhook>> {
  const { slug } = owner;
  const { data, response } = await send(() =>
    slug === null
      ? api().GET("/api/v1/webhooks/{webhook_id}", { ...webhookPath(id), signal })
      : api().GET("/api/v1/communities/{slug}/webhooks/{webhook_id}", { ...communityWebhookPath(slug, id), signal }),
  );
  return { data, etag: response.headers.get("ETag") };
}

/** With `etag`, a change made meanwhile fails with 412. */
export async function updateWebhook(
  owner: WebhookOwner,
  id: string,
  changes: WebhookUpdate,
  etag: string | null,
): Promise<Versioned<Webhook>> {
  const { slug } = owner;
  const headers = ifMatch(etag);
  const { data, response } = await send(() =>
    slug === null
      ? api().PATCH("/api/v1/webhooks/{webhook_id}", { ...webhookPath(id), body: changes, headers })
      : api().PATCH("/api/v1/communities/{slug}/webhooks/{webhook_id}", {
          ...communityWebhookPath(slug, id),
          body: changes,
          headers,
        }),
  );
  return { data, etag: response.headers.get("ETag") };
}

/** 204. Its deliveries go with it. */
export async function deleteWebhook(owner: WebhookOwner, id: string): Promise<void> {
  const { slug } = owner;
  await send(() =>
    slug === null
      ? api().DELETE("/api/v1/webhooks/{webhook_id}", webhookPath(id))
      : api().DELETE("/api/v1/communities/{slug}/webhooks/{webhook_id}", communityWebhookPath(slug, id)),
  );
}

/** A new secret, shown only in this answer; the previous one keeps signing for 24 hours. */
export async function rotateWebhookSecret(owner: WebhookOwner, id: string): Promise<WebhookWithSecret> {
  const { slug } = owner;
  const { data } = await send(() =>
    slug === null
      ? api().POST("/api/v1/webhooks/{webhook_id}/rotate-secret", webhookPath(id))
      : api().POST("/api/v1/communities/{slug}/webhooks/{webhook_id}/rotate-secret", communityWebhookPath(slug, id)),
  );
  return data;
}

/** 202: a `webhook.ping` delivery, sent in the background (its outcome shows in the deliveries). */
export async function pingWebhook(owner: WebhookOwner, id: string): Promise<WebhookDelivery> {
  const { slug } = owner;
  const { data } = await send(() =>
    slug === null
      ? api().POST("/api/v1/webhooks/{webhook_id}/ping", webhookPath(id))
      : api().POST("/api/v1/communities/{slug}/webhooks/{webhook_id}/ping", communityWebhookPath(slug, id)),
  );
  return data;
}

/** Newest first, keyset pages, each delivery with its tries. */
export async function listWebhookDeliveries(
  owner: WebhookOwner,
  id: string,
  params: PageParams = {},
  signal?: AbortSignal,
): Promise<Page<WebhookDelivery>> {
  const query = { cursor: params.cursor, limit: params.limit };
  const { slug } = owner;
  const { data } = await send(() =>
    slug === null
      ? api().GET("/api/v1/webhooks/{webhook_id}/deliveries", { params: { path: { webhook_id: id }, query }, signal })
      : api().GET("/api/v1/communities/{slug}/webhooks/{webhook_id}/deliveries", {
          params: { path: { slug, webhook_id: id }, query },
          signal,
        }),
  );
  return data;
}

/** 202: the same body and webhook-id again, now; 409 while it is still being tried. */
export async function redeliverWebhookDelivery(
  owner: WebhookOwner,
  id: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const { slug } = owner;
  const { data } = await send(() =>
    slug === null
      ? api().POST("/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", {
          params: { path: { webhook_id: id, delivery_id: deliveryId } },
        })
      : api().POST("/api/v1/communities/{slug}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", {
          params: { path: { slug, webhook_id: id, delivery_id: deliveryId } },
        }),
  );
  return data;
}
