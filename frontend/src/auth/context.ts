import { createContext, useContext } from "react";
import type { SessionEndReason } from "../api/client";
import type { RegisterRequest } from "../api/types";

export type AuthStatus =
  /** Checking for a session (silent cookie refresh) on start-up. */
  | "loading"
  | "authenticated"
  | "anonymous"
  /** The start-up check could not reach the API. */
  | "unavailable";

export interface AuthState {
  status: AuthStatus;
  /** Why the user is anonymous: never signed in this visit, signed out, or the session ended. */
  endReason: "initial" | SessionEndReason;
  /** What stopped the start-up check, when status is "unavailable". */
  error: unknown;
}

export interface AuthContextValue extends AuthState {
  signIn: (email: string, password: string) => Promise<void>;
  register: (input: RegisterRequest) => Promise<void>;
  signOut: () => Promise<void>;
  /** Runs the start-up session check again (after "unavailable"). */
  retry: () => void;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (value === null) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}
