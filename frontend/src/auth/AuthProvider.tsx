import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import * as api from "../api/client";
import { ApiError } from "../api/errors";
import type { RegisterRequest } from "../api/types";
import { AuthContext, type AuthContextValue, type AuthState } from "./context";
import { meQueryKey, meQueryOptions } from "./queries";

/**
 * Holds whether someone is signed in. On mount it tries a silent refresh with the httpOnly
 * cookie, so a reload keeps the user signed in without any token in web storage.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: "loading", endReason: "initial", error: null });
  const [attempt, setAttempt] = useState(0);

  const loadMe = useCallback(
    () => queryClient.query({ ...meQueryOptions(), staleTime: 0 }),
    [queryClient],
  );

  useEffect(() => {
    const run = new AbortController();
    void (async () => {
      try {
        const hasSession = await api.refreshSession();
        if (hasSession) await loadMe();
        if (!run.signal.aborted) {
          setState({ status: hasSession ? "authenticated" : "anonymous", endReason: "initial", error: null });
        }
      } catch (error) {
        if (run.signal.aborted) return;
        if (api.hasSession()) setState({ status: "unavailable", endReason: "initial", error });
        else if (error instanceof ApiError && error.status < 500) {
          setState({ status: "anonymous", endReason: "initial", error: null });
        } else setState({ status: "unavailable", endReason: "initial", error });
      }
    })();
    return () => {
      run.abort();
    };
  }, [attempt, loadMe]);

  useEffect(
    () =>
      api.onSessionEnded(({ reason }) => {
        setState({ status: "anonymous", endReason: reason, error: null });
        // Nothing of the previous user may outlive their session.
        queryClient.clear();
      }),
    [queryClient],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      await api.signIn(email, password);
      await loadMe();
      setState({ status: "authenticated", endReason: "initial", error: null });
    },
    [loadMe],
  );

  const register = useCallback(
    async (input: RegisterRequest) => {
      const user = await api.register(input);
      queryClient.setQueryData(meQueryKey, user);
      setState({ status: "authenticated", endReason: "initial", error: null });
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    await api.signOut();
    setState({ status: "anonymous", endReason: "signed-out", error: null });
    queryClient.clear();
  }, [queryClient]);

  const retry = useCallback(() => {
    setState({ status: "loading", endReason: "initial", error: null });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ ...state, signIn, register, signOut, retry }),
    [state, signIn, register, signOut, retry],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
