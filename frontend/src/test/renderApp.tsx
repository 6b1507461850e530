import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { AppProviders } from "../App";
import { routes } from "../routes";
import { accessToken, ada } from "./fixtures";
import { json, problem, type MockApi } from "./fetchMock";

/** Start-up as a signed-out visitor: the silent cookie refresh finds no session. */
export function asSignedOut(api: MockApi): MockApi {
  return api.on("POST", "/api/v1/auth/refresh", () => problem(401, { title: "Unauthorized", detail: "No session." }));
}

/** Start-up as Ada, signed in: the silent refresh succeeds, /me answers, nothing is unread. */
export function asSignedIn(api: MockApi, user = ada): MockApi {
  return api
    .on("POST", "/api/v1/auth/refresh", () => json(200, accessToken("access-1")))
    .on("GET", "/api/v1/me", () => json(200, user))
    .on("GET", "/api/v1/me/notifications/unread-count", () => json(200, { unread: 0 }));
}

/** Renders the whole app (real routes, providers) at `path`. */
export function renderApp(path: string) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const user = userEvent.setup();
  const view = render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...view, user, router, queryClient };
}

/** The router's current path and query, e.g. "/signin?next=%2Fsettings". */
export function currentPath(router: ReturnType<typeof createMemoryRouter>): string {
  return `${router.state.location.pathname}${router.state.location.search}`;
}
