import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

/** The inbox and its settings load as one chunk, on first visit. */
const pages = () => import("./pages");

export const notificationRoutes: RouteObject[] = [
  {
    path: "notifications",
    hydrateFallbackElement: <LoadingState label="Loading your notifications…" />,
    lazy: async () => ({ Component: (await pages()).NotificationsPage }),
  },
  {
    path: "settings/notifications",
    hydrateFallbackElement: <LoadingState label="Loading your notification settings…" />,
    lazy: async () => ({ Component: (await pages()).PreferencesPage }),
  },
];

/** The landing page of a mail's unsubscribe link: for everybody, signed in or not. */
export const unsubscribeRoute: RouteObject = {
  path: "unsubscribe",
  hydrateFallbackElement: <LoadingState label="Loading…" />,
  lazy: async () => ({ Component: (await import("./UnsubscribePage")).UnsubscribePage }),
};
