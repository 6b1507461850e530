import type { RouteObject } from "react-router";
import { LoadingState } from "../../components/States";

export const peopleRoutes: RouteObject[] = [
  {
    path: "people",
    hydrateFallbackElement: <LoadingState label="Loading people…" />,
    lazy: async () => ({ Component: (await import("./pages")).PeoplePage }),
  },
  {
    path: "people/:handle",
    hydrateFallbackElement: <LoadingState label="Loading the profile…" />,
    lazy: async () => ({ Component: (await import("./pages")).PersonPage }),
  },
];
