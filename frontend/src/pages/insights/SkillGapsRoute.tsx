import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

/** /insights/skills: the skills gap page, loaded on first visit. */
export const skillGapsRoute: RouteObject = {
  path: "insights/skills",
  hydrateFallbackElement: <LoadingState label="Loading the skills gap…" />,
  lazy: async () => ({ Component: (await import("./SkillGapsPage")).SkillGapsPage }),
};
