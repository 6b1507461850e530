import { Link } from "react-router";
import type { UserSummary } from "../api/types";
import { cx } from "../lib/cx";

/** A person's name as a link to their profile: every name in the app leads to the person. */
export function PersonName({ user, className }: { user: Pick<UserSummary, "handle" | "display_name">; className?: string }) {
  return (
    <Link className={cx("person-name", className)} to={`/people/${encodeURIComponent(user.handle)}`}>
      {user.display_name}
    </Link>
  );
}
