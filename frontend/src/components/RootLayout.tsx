import { Outlet, ScrollRestoration } from "react-router";

/** Wraps every route: scroll positions are restored on back/forward navigation. */
export function RootLayout() {
  return (
    <>
      <ScrollRestoration />
      <Outlet />
    </>
  );
}
