/** The caller's account: profile, password and personal access tokens. */
import { infiniteQueryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import {
  changeEmail,
  changePassword,
  confirmPasswordReset,
  createToken,
  listTokens,
  requestPasswordReset,
  resendVerification,
  revokeToken,
  updateMe,
  verifyEmail,
} from "../api/client";
import type { EmailChange, Me, MeUpdate, PersonalAccessTokenCreate, PersonalAccessTokenCreated } from "../api/types";
import { useAuth } from "../auth/context";
import { meQueryKey } from "../auth/queries";
import { aroundSuccess, type MutationCallbacks } from "./mutations";

export const tokensQueryKey = ["me", "tokens"] as const;

export function tokensQueryOptions() {
  return infiniteQueryOptions({
    queryKey: tokensQueryKey,
    queryFn: ({ pageParam, signal }) => listTokens({ cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

// --- mutations: each owns its request and the cache entries it changes ---------------------------

export function useUpdateProfile(callbacks: MutationCallbacks<Me, MeUpdate> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    ...aroundSuccess(callbacks, {
      before: (updated) => {
        queryClient.setQueryData(meQueryKey, updated);
      },
    }),
  });
}

export interface PasswordChangeInput {
  current_password: string;
  new_password: string;
  keep_personal_tokens: boolean;
}

export interface PasswordOutcome {
  kept: boolean;
  /** How many personal tokens the change revoked, when the server says. */
  revoked: number | null;
}

/**
 * Changes the caller's password. The change ends every session, this one included: the hook
 * signs in again with the new password (or signs out when that fails).
 */
export function useChangePassword(email: string, callbacks: MutationCallbacks<PasswordOutcome, PasswordChangeInput> = {}) {
  const auth = useAuth();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: PasswordChangeInput): Promise<PasswordOutcome> => {
      const result = await changePassword(input);
      try {
        await auth.signIn(email, input.new_password);
      } catch {
        await auth.signOut();
      }
      return { kept: input.keep_personal_tokens, revoked: result.personalTokensRevoked };
    },
    ...aroundSuccess(callbacks, {
      // Not awaited: the form shows the outcome while the token list reloads.
      after: (outcome) => {
        if (!outcome.kept) void queryClient.invalidateQueries({ queryKey: tokensQueryKey });
      },
    }),
  });
}

/** A new personal access token. Its secret goes only to the page's onSuccess, never into the cache. */
export function useCreateToken(callbacks: MutationCallbacks<PersonalAccessTokenCreated, PersonalAccessTokenCreate> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: tokensQueryKey }) }),
  });
}

export function useRevokeToken(id: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => revokeToken(id),
    ...aroundSuccess(callbacks, { after: () => queryClient.invalidateQueries({ queryKey: tokensQueryKey }) }),
  });
}

// --- the e-mail address, verification and password reset -----------------------------------------

/** Moves the account to a new address (unverified until its mailed link is used). */
export function useChangeEmail(callbacks: MutationCallbacks<Me, EmailChange> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changeEmail,
    ...aroundSuccess(callbacks, {
      before: (updated) => {
        queryClient.setQueryData(meQueryKey, updated);
      },
    }),
  });
}

/** Mails a new verification link to the current address. */
export function useResendVerification(callbacks: MutationCallbacks<void, void> = {}) {
  return useMutation({ mutationFn: () => resendVerification(), ...callbacks });
}

/** Confirms an address with a mailed token; a signed-in profile is refreshed afterwards. */
export function useVerifyEmail(callbacks: MutationCallbacks<void, string> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: verifyEmail,
    ...aroundSuccess(callbacks, {
      after: () => queryClient.invalidateQueries({ queryKey: meQueryKey }),
    }),
  });
}

export function useRequestPasswordReset(callbacks: MutationCallbacks<void, string> = {}) {
  return useMutation({ mutationFn: requestPasswordReset, ...callbacks });
}

export function useConfirmPasswordReset(
  callbacks: MutationCallbacks<void, { token: string; newPassword: string }> = {},
) {
  return useMutation({
    mutationFn: ({ token, newPassword }: { token: string; newPassword: string }) =>
      confirmPasswordReset(token, newPassword),
    ...callbacks,
  });
}
