import { Link } from "react-router";
import type { Community } from "../../api/types";
import { cx } from "../../lib/cx";
import { membershipLabel } from "./labels";
import { formatDate, pluralize } from "../../lib/format";
import { termEndingSoon } from "./terms";

/** One community in the directory: the purpose leads, because it’s why people would join. */
export function CommunityCard({ community }: { community: Community }) {
  const membership = community.my_membership;
  const titleId = `community-card-${community.id}`;
  const term = termEndingSoon(community);
  return (
    <li className="card community-card">
      <article className="community-card__body" aria-labelledby={titleId}>
        <h3 className="card__title community-card__title" id={titleId}>
          <Link to={`/communities/${community.slug}`} className="community-card__link">
            {community.name}
          </Link>
        </h3>
        <p className="community-card__purpose">{community.purpose}</p>
        <div className="community-card__meta">
          <p className="community-card__stats">
            <span>{pluralize(community.member_count, "member")}</span>
            <span>{pluralize(community.post_count, "post")}</span>
            <span>
              {community.post_count > 0 ? "Last activity " : "Created "}
              <time dateTime={community.last_activity_at}>{formatDate(community.last_activity_at)}</time>
            </span>
          </p>
          <ul className="badge-list" aria-label="About this community">
            {community.visibility === "private" && <li className="badge badge--neutral">Private</li>}
            {term && <li className="badge badge--warning">{term}</li>}
            {membership && (
              <li className={cx("badge", membership.status === "pending" ? "badge--warning" : "badge--success")}>
                {membership.status === "pending" ? membershipLabel(membership) : `You: ${membershipLabel(membership)}`}
              </li>
            )}
          </ul>
        </div>
      </article>
    </li>
  );
}
