import { queryOptions, useMutation, useQuery } from "@tanstack/react-query";
import { getMe } from "../api/client";
import type { RegisterRequest } from "../api/types";
import type { MutationCallbacks } from "../queries/mutations";
import { useAuth } from "./context";

export const meQueryKey = ["me"] as const;

export function meQueryOptions() {
  return queryOptions({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 5 * 60_000,
  });
}

/** The signed-in user's profile. Loaded before the app shell renders, so usually instant. */
export function useMe() {
  return useQuery(meQueryOptions());
}

/** Signs in; on success the route guard sends the user on. */
export function useSignIn(callbacks: MutationCallbacks<void, { email: string; password: string }> = {}) {
  const auth = useAuth();
  return useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) => auth.signIn(email, password),
    ...callbacks,
  });
}

/** Creates an account and signs in to it. */
export function useRegister(callbacks: MutationCallbacks<void, RegisterRequest> = {}) {
  const auth = useAuth();
  return useMutation({
    mutationFn: (input: RegisterRequest) => auth.register(input),
    ...callbacks,
  });
}
