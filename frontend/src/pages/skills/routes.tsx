import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

/** The skills pages load as one chunk, on first visit. */
const pages = () => import("./pages");

export const skillRoutes: RouteObject[] = [
  {
    path: "skills",
    hydrateFallbackElement: <LoadingState label="Loading skills…" />,
    children: [
      { index: true, lazy: async () => ({ Component: (await pages()).SkillsPage }) },
      { path: ":slug", lazy: async () => ({ Component: (await pages()).SkillPage }) },
    ],
  },
  {
    path: "me/skills",
    hydrateFallbackElement: <LoadingState label="Loading your skills…" />,
    lazy: async () => ({ Component: (await pages()).MySkillsPage }),
  },
];
