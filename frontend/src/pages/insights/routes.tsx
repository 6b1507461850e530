import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

export const insightsRoutes: RouteObject = {
  path: "insights",
  hydrateFallbackElement: <LoadingState label="Loading insights…" />,
  lazy: async () => ({ Component: (await import("./InsightsPage")).InsightsPage }),
};
