import { infiniteQueryOptions } from "@tanstack/react-query";
import { listTokens } from "../../api/client";

export const tokensQueryKey = ["me", "tokens"] as const;

export function tokensQueryOptions() {
  return infiniteQueryOptions({
    queryKey: tokensQueryKey,
    queryFn: ({ pageParam, signal }) => listTokens({ cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}
