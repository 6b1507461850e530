import type { ReactNode } from "react";
import { Navigate, Outlet, useLocation, useSearchParams } from "react-router";
import { FullPageLoading, FullPageUnavailable } from "../components/FullPageStatus";
import { safeNext, signInPath } from "../lib/next";
import { useAuth } from "./context";

/**
 * Renders its children only for a signed-in user. Anyone else goes to /signin, with
 * `?next=` set so they come back here (not after an explicit sign-out).
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const location = useLocation();
  if (auth.status === "loading") return <FullPageLoading />;
  if (auth.status === "unavailable") return <FullPageUnavailable error={auth.error} onRetry={auth.retry} />;
  if (auth.status === "anonymous") {
    const here = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={auth.endReason === "signed-out" ? "/signin" : signInPath(here)} replace />;
  }
  return children;
}

/** The sign-in and register pages: a signed-in user is sent on to `?next=` or home. */
export function PublicOnly() {
  const auth = useAuth();
  const [searchParams] = useSearchParams();
  if (auth.status === "loading") return <FullPageLoading />;
  if (auth.status === "authenticated") {
    return <Navigate to={safeNext(searchParams.get("next")) ?? "/"} replace />;
  }
  // "unavailable" still lets people try to sign in; the form reports what goes wrong.
  return <Outlet />;
}
