import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

export const searchRoutes: RouteObject = {
  path: "search",
  hydrateFallbackElement: <LoadingState label="Loading search…" />,
  lazy: async () => ({ Component: (await import("./SearchPage")).SearchPage }),
};
