import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { listCommunities, listSkills, listUsers } from "../../api/client";
import { Avatar } from "../../components/Avatar";
import { pluralize } from "../../lib/format";

const LIMIT = 5;
const STALE_MS = 30_000;

/** A skill name or alias that `q` starts (k8s → Kubernetes): what the reader typed, explained. */
function aliasNote(aliases: readonly string[], name: string, q: string): string | null {
  const start = q.toLowerCase();
  if (name.toLowerCase().startsWith(start)) return null;
  const alias = aliases.find((value) => value.toLowerCase().startsWith(start));
  return alias ? `also “${alias}”` : null;
}

/**
 * Beside the posts: people, skills (by name or alias) and communities matching the search, the
 * first few of each. Groups with no match stay out of the way.
 */
export function QuickResults({ q }: { q: string }) {
  const people = useQuery({
    queryKey: ["search", "people", q],
    queryFn: ({ signal }) => listUsers({ q, limit: LIMIT }, signal),
    staleTime: STALE_MS,
  });
  const skills = useQuery({
    queryKey: ["search", "skills", q],
    queryFn: ({ signal }) => listSkills({ q, sort: "popular", limit: LIMIT }, signal),
    staleTime: STALE_MS,
  });
  const communities = useQuery({
    queryKey: ["search", "communities", q],
    queryFn: ({ signal }) => listCommunities({ q, limit: LIMIT }, signal),
    staleTime: STALE_MS,
  });
  const peopleItems = people.data?.items ?? [];
  const skillItems = skills.data?.items ?? [];
  const communityItems = communities.data?.items ?? [];
  if (peopleItems.length + skillItems.length + communityItems.length === 0) return null;

  return (
    <section className="quick-results" aria-labelledby="quick-results-title">
      <h2 id="quick-results-title" className="section-title">
        People, skills and communities
      </h2>
      <div className="quick-results__groups">
        {peopleItems.length > 0 && (
          <div className="quick-results__group">
            <h3 className="subsection-title">People</h3>
            <ul className="quick-results__list" aria-label="People">
              {peopleItems.map((person) => (
                <li key={person.id} className="quick-results__item">
                  <Avatar name={person.display_name} url={person.avatar_url} size="sm" />
                  <Link to={`/people/${encodeURIComponent(person.handle)}`}>{person.display_name}</Link>
                  <span className="quick-results__meta">@{person.handle}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {skillItems.length > 0 && (
          <div className="quick-results__group">
            <h3 className="subsection-title">Skills</h3>
            <ul className="quick-results__list" aria-label="Skills">
              {skillItems.map((skill) => {
                const note = aliasNote(skill.aliases, skill.name, q);
                return (
                  <li key={skill.slug} className="quick-results__item">
                    <Link to={`/skills/${skill.slug}`}>{skill.name}</Link>
                    {note && <span className="quick-results__meta">{note}</span>}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        {communityItems.length > 0 && (
          <div className="quick-results__group">
            <h3 className="subsection-title">Communities</h3>
            <ul className="quick-results__list" aria-label="Communities">
              {communityItems.map((community) => (
                <li key={community.slug} className="quick-results__item">
                  <Link to={`/communities/${community.slug}`}>{community.name}</Link>
                  <span className="quick-results__meta">{pluralize(community.member_count, "member")}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
