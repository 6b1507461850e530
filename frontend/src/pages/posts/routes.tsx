import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

/** The post page loads as its own chunk, on first visit. */
export const postRoutes: RouteObject = {
  path: "posts/:id",
  hydrateFallbackElement: <LoadingState label="Loading the post…" />,
  lazy: async () => ({ Component: (await import("./PostPage")).PostPage }),
};
