import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

/** The communities pages load as one chunk, on first visit, to keep the start-up bundle small. */
const pages = () => import("./pages");

export const communityRoutes: RouteObject = {
  path: "communities",
  // Shown inside the app shell while the chunk loads on a direct visit.
  hydrateFallbackElement: <LoadingState label="Loading communities…" />,
  children: [
    { index: true, lazy: async () => ({ Component: (await pages()).CommunitiesPage }) },
    { path: "new", lazy: async () => ({ Component: (await pages()).NewCommunityPage }) },
    { path: ":slug", lazy: async () => ({ Component: (await pages()).CommunityPage }) },
    { path: ":slug/edit", lazy: async () => ({ Component: (await pages()).EditCommunityPage }) },
    { path: ":slug/webhooks", lazy: async () => ({ Component: (await pages()).CommunityWebhooksPage }) },
  ],
};
