/**
 * Wire types for the endpoints this slice uses, as fixed by shared/API.md.
 *
 * Once `npm run gen:api` produces `schema.d.ts` from openapi/openapi.json, each of these
 * becomes an alias of the generated schema (e.g.
 * `export type User = components["schemas"]["UserPublic"]`) and the rest of the app keeps
 * importing from here.
 */

/** RFC 3339 UTC timestamp, e.g. "2026-11-28T10:00:00Z". */
export type Timestamp = string;

export type Role = "member" | "admin";

/** The user summary used everywhere in the API. */
export interface UserSummary {
  id: string;
  handle: string;
  display_name: string;
  title: string | null;
  avatar_url: string | null;
}

/** The caller's own profile, as returned by GET/PATCH /me. */
export interface Me extends UserSummary {
  email: string;
  role: Role | (string & {});
  created_at: Timestamp;
  bio: string | null;
  location: string | null;
  timezone: string | null;
}

export interface MeUpdate {
  display_name?: string;
  title?: string | null;
  bio?: string | null;
  location?: string | null;
  timezone?: string | null;
  avatar_url?: string | null;
}

export interface RegisterRequest {
  email: string;
  password: string;
  display_name: string;
  handle?: string;
}

export interface AccessTokenResponse {
  access_token: string;
  token_type: "bearer" | (string & {});
  /** Lifetime of the access token, in seconds. */
  expires_in: number;
  /** null when the refresh token travels in the httpOnly cookie instead. */
  refresh_token?: string | null;
}

export interface RegisterResponse extends AccessTokenResponse {
  user: Me;
}

export interface PasswordChange {
  current_password: string;
  new_password: string;
}

export type TokenScope = "read" | "write" | "admin";

export interface PersonalAccessToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface PersonalAccessTokenCreate {
  name: string;
  scopes: TokenScope[];
  expires_in_days?: number;
}

/** The one response that carries the token secret; it is never shown again. */
export interface PersonalAccessTokenCreated extends PersonalAccessToken {
  token: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** One entry of a validation problem's `errors` list (FastAPI-style `loc`). */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** application/problem+json (RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string | null;
  instance?: string | null;
  errors?: ValidationIssue[];
}
