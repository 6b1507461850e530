import { Link } from "react-router";
import type { Community } from "../../api/types";
import { cx } from "../../lib/cx";
import { membershipLabel } from "./labels";
import { pluralize } from "../../lib/format";

/** One community in the directory: the purpose leads, because it’s why people would join. */
export function CommunityCard({ community }: { community: Community }) {
  const membership = community.my_membership;
  const titleId = `community-card-${community.id}`;
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
          <span>{pluralize(community.member_count, "member")}</span>
          <ul className="badge-list" aria-label="About this community">
            {community.visibility === "private" && <li className="badge badge--neutral">Private</li>}
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
