import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

export const mentorshipRoutes: RouteObject = {
  path: "mentorship",
  hydrateFallbackElement: <LoadingState label="Loading mentorship…" />,
  lazy: async () => ({ Component: (await import("./pages")).MentorshipPage }),
};
