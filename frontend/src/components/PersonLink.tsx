import type { ReactNode } from "react";
import { Link } from "react-router";
import type { UserSummary } from "../api/types";
import { Avatar } from "./Avatar";

/** Avatar, name (a link to the person's profile) and handle, with optional extra lines under them. */
export function PersonLink({ user, children }: { user: UserSummary; children?: ReactNode }) {
  return (
    <div className="person">
      <Avatar name={user.display_name} url={user.avatar_url} size="md" />
      <div className="person__text">
        <p className="person__name">
          <Link to={`/people/${encodeURIComponent(user.handle)}`}>{user.display_name}</Link>{" "}
          <span className="person__handle">@{user.handle}</span>
        </p>
        {user.title && <p className="person__meta">{user.title}</p>}
        {children}
      </div>
    </div>
  );
}
