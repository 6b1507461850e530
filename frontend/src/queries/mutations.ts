import type { UseMutationOptions } from "@tanstack/react-query";

/**
 * What a page adds to a feature's mutation: its own reactions (a notice, a reset form, a
 * navigation, field errors). The feature hook owns the request and the cache.
 */
export type MutationCallbacks<TData, TVariables> = Pick<UseMutationOptions<TData, Error, TVariables>, "onSuccess" | "onError">;

type Work<TData, TVariables> = (data: TData, variables: TVariables) => unknown;

/**
 * The page's callbacks with the feature's cache work around its onSuccess: `before` runs ahead
 * of it (cache writes the page reads, or refetches it must wait for, as before navigating
 * away); `after` once it returned (refetches, awaited so the mutation stays pending until the
 * lists agree).
 */
export function aroundSuccess<TData, TVariables>(
  callbacks: MutationCallbacks<TData, TVariables>,
  work: { before?: Work<TData, TVariables>; after?: Work<TData, TVariables> },
): MutationCallbacks<TData, TVariables> {
  return {
    onError: callbacks.onError,
    onSuccess: async (...args) => {
      await work.before?.(args[0], args[1]);
      await callbacks.onSuccess?.(...args);
      await work.after?.(args[0], args[1]);
    },
  };
}
