import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { getUser, listSkillEndorsements } from "../../api/client";
import { personKeys } from "../../queries/skills";

export function profileQueryOptions(handle: string) {
  return queryOptions({
    queryKey: [...personKeys.person(handle), "profile"] as const,
    queryFn: ({ signal }) => getUser(handle, signal),
  });
}

export function endorsementsQueryOptions(handle: string, slug: string) {
  return infiniteQueryOptions({
    queryKey: personKeys.endorsements(handle, slug),
    queryFn: ({ pageParam, signal }) => listSkillEndorsements(handle, slug, { cursor: pageParam, limit: 50 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}
