import type { ReactNode } from "react";
import type { UserSummary } from "../api/types";
import { Avatar } from "./Avatar";
import { PersonName } from "./PersonName";

/** Avatar, name (a link to the person) and handle, with optional extra lines under them. */
export function PersonLine({ user, children }: { user: UserSummary; children?: ReactNode }) {
  return (
    <div className="person">
      <Avatar name={user.display_name} url={user.avatar_url} size="md" />
      <div className="person__text">
        <p className="person__name">
          <PersonName user={user} /> <span className="person__handle">@{user.handle}</span>
        </p>
        {user.title && <p className="person__meta">{user.title}</p>}
        {children}
      </div>
    </div>
  );
}
