/**
 * The one module that talks HTTP to the Leaderful API.
 *
 * It owns the session: the access token lives in this module's memory only (never in
 * localStorage or sessionStorage); the refresh token is an httpOnly cookie the browser keeps
 * and that this code never sees.
 *
 * Layers, bottom up:
 *  - `authFetch`: a drop-in `fetch` that adds the bearer token and, on a 401, refreshes the
 *    session once and retries once. When the OpenAPI document exists, the endpoint functions
 *    below become thin wrappers over `createClient<paths>({ baseUrl: API_BASE_URL, fetch: authFetch })`
 *    from openapi-fetch; nothing above this module changes.
 *  - `request`: JSON/form encoding, problem+json errors (`ApiError`), network errors.
 *  - endpoint functions (`signIn`, `getMe`, `createToken`, …): one per API operation.
 */
import { ApiError, NetworkError, errorFromResponse } from "./errors";
import type {
  AccessTokenResponse,
  AuditEntry,
  Community,
  CommunityCreate,
  CommunityRole,
  CommunitySort,
  CommunityStats,
  CommunityUpdate,
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
  NotifyLevel,
  Page,
  PasswordChange,
  PersonalAccessToken,
  PersonalAccessTokenCreate,
  PersonalAccessTokenCreated,
  RegisterRequest,
  RegisterResponse,
  Versioned,
} from "./types";

/** "" means same origin (the API serves the SPA, or the dev server proxies /api). */
export const API_BASE_URL = (import.meta.env.VITE_API_BASE_URL ?? "").replace(/\/+$/, "");
const API = "/api/v1";

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
  let response: Response;
  try {
    response = await rawFetch(buildUrl(`${API}/auth/refresh`, { use_cookie: true }), {
      method: "POST",
      headers: { ...CSRF_HEADERS, "Content-Type": "application/json", Accept: ACCEPT },
      body: "{}",
      credentials: "include",
    });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (response.status === 401 || response.status === 403) return false;
  if (!response.ok) throw await errorFromResponse(response);
  const token = (await response.json()) as AccessTokenResponse;
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

type QueryValue = string | number | boolean | null | undefined;

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE_URL}${path}${search ? `?${search}` : ""}`;
}

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Record<string, QueryValue>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * "session" (default): bearer token, refresh-and-retry on 401.
   * "bearer": bearer token, no refresh (sign-out).
   * "none": anonymous (register, sign-in), where a 401 means bad credentials.
   */
  auth?: "session" | "bearer" | "none";
  /** "include" for the endpoints that read or set the refresh cookie. */
  credentials?: RequestCredentials;
  /** Sees a successful response before its body is read (e.g. to keep its `ETag`). */
  onResponse?: (response: Response) => void;
}

function isAbort(error: unknown): boolean {
  // Not `instanceof DOMException`: test environments may have two DOMException classes.
  return typeof error === "object" && error !== null && "name" in error && error.name === "AbortError";
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", query, json, form, signal, auth = "session" } = options;
  const headers = new Headers({ Accept: ACCEPT, ...options.headers });
  let body: string | undefined;
  if (json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(form).toString();
  }
  const url = buildUrl(path, query);
  const init: RequestInit = {
    method,
    headers,
    body,
    signal,
    credentials: options.credentials ?? "same-origin",
  };

  let response: Response;
  try {
    if (auth === "session") response = await authFetch(url, init);
    else response = await rawFetch(...withBearer(url, init, auth === "bearer" ? accessToken : null));
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new NetworkError(error);
  }

  if (!response.ok) throw await errorFromResponse(response);
  options.onResponse?.(response);
  if (response.status === 204 || response.status === 205) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---------------------------------------------------------------------------------------------
// Auth
// ---------------------------------------------------------------------------------------------

/** POST /auth/token with the refresh token set as an httpOnly cookie. 401 on bad credentials. */
export async function signIn(email: string, password: string): Promise<void> {
  const token = await request<AccessTokenResponse>(`${API}/auth/token`, {
    method: "POST",
    form: { username: email, password, use_cookie: "true" },
    auth: "none",
    credentials: "include",
  });
  startSession(token);
}

/**
 * POST /auth/register, asking for the refresh token as a cookie. If the server returns the
 * refresh token in the body instead, it is not kept (it would have to live in script-readable
 * storage); the new credentials are exchanged for a cookie session via `signIn`.
 */
export async function register(input: RegisterRequest): Promise<Me> {
  const result = await request<RegisterResponse>(`${API}/auth/register`, {
    method: "POST",
    query: { use_cookie: true },
    json: input,
    auth: "none",
    credentials: "include",
  });
  if (result.refresh_token) await signIn(input.email, input.password);
  else startSession(result);
  return result.user;
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
      await request<undefined>(`${API}/auth/logout`, {
        method: "POST",
        query: { use_cookie: true },
        headers: CSRF_HEADERS,
        json: {},
        auth: "bearer",
        credentials: "include",
      });
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

export function getMe(signal?: AbortSignal): Promise<Me> {
  return request<Me>(`${API}/me`, { signal });
}

export function updateMe(changes: MeUpdate): Promise<Me> {
  return request<Me>(`${API}/me`, { method: "PATCH", json: changes });
}

/** 204. Every token issued before it stops working, so callers sign in again afterwards. */
export function changePassword(input: PasswordChange): Promise<void> {
  return request<undefined>(`${API}/me/password`, { method: "POST", json: input });
}

// ---------------------------------------------------------------------------------------------
// Personal access tokens
// ---------------------------------------------------------------------------------------------

export function listTokens(
  params: { cursor?: string | null; limit?: number } = {},
  signal?: AbortSignal,
): Promise<Page<PersonalAccessToken>> {
  return request<Page<PersonalAccessToken>>(`${API}/me/tokens`, {
    query: { cursor: params.cursor, limit: params.limit },
    signal,
  });
}

export function createToken(input: PersonalAccessTokenCreate): Promise<PersonalAccessTokenCreated> {
  return request<PersonalAccessTokenCreated>(`${API}/me/tokens`, { method: "POST", json: input });
}

export function revokeToken(id: string): Promise<void> {
  return request<undefined>(`${API}/me/tokens/${encodeURIComponent(id)}`, { method: "DELETE" });
}

// ---------------------------------------------------------------------------------------------
// Communities
// ---------------------------------------------------------------------------------------------

const communityPath = (slug: string) => `${API}/communities/${encodeURIComponent(slug)}`;

interface PageParams {
  cursor?: string | null;
  limit?: number;
}

export function listCommunities(
  params: PageParams & { q?: string | null; mine?: boolean; sort?: CommunitySort } = {},
  signal?: AbortSignal,
): Promise<Page<Community>> {
  const q = params.q?.trim();
  return request<Page<Community>>(`${API}/communities`, {
    query: {
      q: q === "" ? undefined : q,
      member: params.mine ? "me" : undefined,
      sort: params.sort,
      cursor: params.cursor,
      limit: params.limit,
    },
    signal,
  });
}

/**
 * 201. `idempotencyKey` makes a retried submit (after a network error) safe: the server
 * answers a replay with the first response instead of creating a second community.
 * 409 when the slug is taken; 422 with `errors` for invalid fields.
 */
export function createCommunity(input: CommunityCreate, idempotencyKey?: string): Promise<Community> {
  return request<Community>(`${API}/communities`, {
    method: "POST",
    json: input,
    headers: idempotencyKey ? { "Idempotency-Key": idempotencyKey } : undefined,
  });
}

/** The community with its `ETag`, to send back as `If-Match` when editing. 404 when missing or invisible. */
export async function getCommunity(slug: string, signal?: AbortSignal): Promise<Versioned<Community>> {
  let etag = null as string | null;
  const data = await request<Community>(communityPath(slug), {
    signal,
    onResponse: (response) => {
      etag = response.headers.get("ETag");
    },
  });
  return { data, etag };
}

/** Stewards only. With `etag`, a change made meanwhile by someone else fails with 412. */
export async function updateCommunity(
  slug: string,
  changes: CommunityUpdate,
  etag: string | null,
): Promise<Versioned<Community>> {
  let newEtag = null as string | null;
  const data = await request<Community>(communityPath(slug), {
    method: "PATCH",
    json: changes,
    headers: etag ? { "If-Match": etag } : undefined,
    onResponse: (response) => {
      newEtag = response.headers.get("ETag");
    },
  });
  return { data, etag: newEtag };
}

/** 204. The community becomes read-only and leaves the directory. */
export function archiveCommunity(slug: string): Promise<void> {
  return request<undefined>(communityPath(slug), { method: "DELETE" });
}

export function listMembers(
  slug: string,
  params: PageParams & { role?: CommunityRole; status?: MembershipStatus } = {},
  signal?: AbortSignal,
): Promise<Page<Member>> {
  return request<Page<Member>>(`${communityPath(slug)}/members`, {
    query: { role: params.role, status: params.status, cursor: params.cursor, limit: params.limit },
    signal,
  });
}

/** Open → active; approval → pending; invite-only without an invitation → 403. */
export function joinCommunity(slug: string): Promise<MyMembership> {
  return request<MyMembership>(`${communityPath(slug)}/members`, { method: "POST" });
}

/** 204. Also withdraws a pending request. The last steward cannot leave (409). */
export function leaveCommunity(slug: string): Promise<void> {
  return request<undefined>(`${communityPath(slug)}/members/me`, { method: "DELETE" });
}

export function updateMyMembership(slug: string, notifyLevel: NotifyLevel): Promise<MyMembership> {
  return request<MyMembership>(`${communityPath(slug)}/members/me`, {
    method: "PATCH",
    json: { notify_level: notifyLevel },
  });
}

/** Approve a request (moderators+) or change a role (stewards). */
export function updateMember(slug: string, handle: string, changes: MemberUpdate): Promise<Member> {
  return request<Member>(`${communityPath(slug)}/members/${encodeURIComponent(handle)}`, {
    method: "PATCH",
    json: changes,
  });
}

/** 204. Removes a member or rejects a pending request. */
export function removeMember(slug: string, handle: string): Promise<void> {
  return request<undefined>(`${communityPath(slug)}/members/${encodeURIComponent(handle)}`, {
    method: "DELETE",
  });
}

export function createInvitation(slug: string, handle: string): Promise<Invitation> {
  return request<Invitation>(`${communityPath(slug)}/invitations`, { method: "POST", json: { handle } });
}

/** The caller's pending invitations. */
export function listMyInvitations(params: PageParams = {}, signal?: AbortSignal): Promise<Page<Invitation>> {
  return request<Page<Invitation>>(`${API}/me/invitations`, {
    query: { cursor: params.cursor, limit: params.limit },
    signal,
  });
}

export function createNomination(slug: string, input: NominationCreate): Promise<Nomination> {
  return request<Nomination>(`${communityPath(slug)}/nominations`, { method: "POST", json: input });
}

/** Stewards only (403 for everyone else). */
export function listNominations(
  slug: string,
  params: PageParams & { status?: NominationStatus } = {},
  signal?: AbortSignal,
): Promise<Page<Nomination>> {
  return request<Page<Nomination>>(`${communityPath(slug)}/nominations`, {
    query: { status: params.status, cursor: params.cursor, limit: params.limit },
    signal,
  });
}

export function decideNomination(slug: string, id: string, decision: "accept" | "decline"): Promise<Nomination> {
  return request<Nomination>(`${communityPath(slug)}/nominations/${encodeURIComponent(id)}/${decision}`, {
    method: "POST",
  });
}

export function getCommunityStats(slug: string, signal?: AbortSignal): Promise<CommunityStats> {
  return request<CommunityStats>(`${communityPath(slug)}/stats`, { signal });
}

/** Newest first. 403 when the caller may not see it (private community, not a member). */
export function getAuditLog(slug: string, params: PageParams = {}, signal?: AbortSignal): Promise<Page<AuditEntry>> {
  return request<Page<AuditEntry>>(`${communityPath(slug)}/audit-log`, {
    query: { cursor: params.cursor, limit: params.limit },
    signal,
  });
}
