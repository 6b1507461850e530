import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter } from "react-router";
import { RouterProvider } from "react-router/dom";
import { connectSessionAcrossTabs } from "./api/client";
import { AppProviders } from "./App";
import { watchTheme } from "./lib/theme";
import { createQueryClient } from "./queryClient";
import { routes } from "./routes";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/components.css";

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

connectSessionAcrossTabs();
watchTheme();
const queryClient = createQueryClient();
const router = createBrowserRouter(routes);

createRoot(container).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
