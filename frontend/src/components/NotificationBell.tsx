import { useQuery } from "@tanstack/react-query";
import { NavLink } from "react-router";
import { unreadCountQueryOptions } from "../queries/notifications";

/** "Notifications, 3 unread"; just "Notifications" while nothing is unread or the count is unknown. */
function bellLabel(unread: number | undefined): string {
  return unread ? `Notifications, ${unread.toLocaleString()} unread` : "Notifications";
}

/**
 * The header's way to the inbox, with the unread count. `live`: the stream keeps the count
 * current; otherwise it is refetched on focus and every minute.
 */
export function NotificationBell({ live }: { live: boolean }) {
  const { data: unread } = useQuery(unreadCountQueryOptions(live));
  const shown = unread === undefined ? "" : unread > 99 ? "99+" : String(unread);
  return (
    <NavLink to="/notifications" className="bell" aria-label={bellLabel(unread)}>
      <svg className="bell__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 2a6 6 0 0 0-6 6v3.59l-1.7 2.83A1 1 0 0 0 5.16 16h13.68a1 1 0 0 0 .86-1.58L18 11.59V8a6 6 0 0 0-6-6Zm0 20a3 3 0 0 0 2.83-2H9.17A3 3 0 0 0 12 22Z"
        />
      </svg>
      {unread ? (
        <span className="bell__count" aria-hidden="true">
          {shown}
        </span>
      ) : null}
    </NavLink>
  );
}
