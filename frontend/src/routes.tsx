import type { RouteObject } from "react-router";
import { PublicOnly, RequireAuth } from "./auth/guards";
import { AppShell } from "./components/AppShell";
import { RootLayout } from "./components/RootLayout";
import { LoadingState } from "./components/States";
import { PRIMARY_NAV } from "./navigation";
import { ForgotPasswordPage } from "./pages/auth/ForgotPasswordPage";
import { ResetPasswordPage } from "./pages/auth/ResetPasswordPage";
import { VerifyEmailPage } from "./pages/auth/VerifyEmailPage";
import { RegisterPage } from "./pages/auth/RegisterPage";
import { SignInPage } from "./pages/auth/SignInPage";
import { communityRoutes } from "./pages/communities/routes";
import { ComingSoonPage } from "./pages/ComingSoonPage";
import { HomePage } from "./pages/HomePage";
import { skillGapsRoute } from "./pages/insights/SkillGapsRoute";
import { insightsRoutes } from "./pages/insights/routes";
import { mentorshipRoutes } from "./pages/mentorship/routes";
import { NotFoundPage } from "./pages/NotFoundPage";
import { notificationRoutes, unsubscribeRoute } from "./pages/notifications/routes";
import { peopleRoutes } from "./pages/people/routes";
import { postRoutes } from "./pages/posts/routes";
import { searchRoutes } from "./pages/search/routes";
import { RouteErrorPage } from "./pages/RouteErrorPage";
import { SettingsPage } from "./pages/settings/SettingsPage";
import { skillRoutes } from "./pages/skills/routes";

/** The whole route tree; main.tsx mounts it in a browser router, tests in a memory router. */
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      unsubscribeRoute,
      {
        element: <PublicOnly />,
        children: [
          { path: "signin", element: <SignInPage /> },
          { path: "register", element: <RegisterPage /> },
          { path: "forgot-password", element: <ForgotPasswordPage /> },
        ],
      },
      // Mailed links: they work whether or not this browser is signed in.
      { path: "verify-email", element: <VerifyEmailPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      {
        element: (
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <HomePage /> },
          ...PRIMARY_NAV.filter((item) => !item.ready).map((item) => ({
            path: item.to.slice(1),
            element: <ComingSoonPage title={item.label} summary={item.summary} />,
          })),
          communityRoutes,
          postRoutes,
          searchRoutes,
          insightsRoutes,
          ...skillRoutes,
          ...peopleRoutes,
          mentorshipRoutes,
          skillGapsRoute,
          ...notificationRoutes,
          { path: "settings", element: <SettingsPage /> },
          {
            path: "settings/webhooks",
            hydrateFallbackElement: <LoadingState label="Loading webhooks…" />,
            lazy: async () => ({ Component: (await import("./pages/settings/WebhooksSettingsPage")).WebhooksSettingsPage }),
          },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
