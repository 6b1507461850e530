import { queryOptions, useQuery } from "@tanstack/react-query";
import { getMe } from "../api/client";

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
