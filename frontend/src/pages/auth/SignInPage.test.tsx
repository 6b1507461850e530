import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { accessToken, ada } from "../../test/fixtures";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedOut, currentPath, renderApp } from "../../test/renderApp";

describe("sign-in page", () => {
  it("submits the credentials and shows the server's 401 message", async () => {
    const api = asSignedOut(mockApi()).on("POST", "/api/v1/auth/token", () =>
      problem(401, { title: "Unauthorized", detail: "Incorrect email or password." }),
    );
    const { user } = renderApp("/signin");

    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "not my password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Incorrect email or password.");
    const [call] = api.callsTo("POST", "/api/v1/auth/token");
    expect(new URLSearchParams(call?.body ?? "").get("username")).toBe("ada@example.com");
    expect(new URLSearchParams(call?.body ?? "").get("password")).toBe("not my password");
    // Still on the sign-in page, still anonymous.
    expect(screen.getByRole("heading", { name: "Sign in to Leaderful" })).toBeInTheDocument();
  });

  it("checks for empty fields before calling the API", async () => {
    const api = asSignedOut(mockApi());
    const { user } = renderApp("/signin");

    await user.click(await screen.findByRole("button", { name: "Sign in" }));

    const email = screen.getByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription(/Enter your email address/);
    expect(email).toHaveFocus();
    expect(api.callsTo("POST", "/api/v1/auth/token")).toHaveLength(0);
  });

  it("goes on to ?next= after signing in", async () => {
    asSignedOut(mockApi())
      .on("POST", "/api/v1/auth/token", () => json(200, accessToken("access-1")))
      .on("GET", "/api/v1/me", () => json(200, ada))
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }));
    const { user, router } = renderApp("/signin?next=%2Fsettings");

    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.keyboard("{Enter}");

    expect(await screen.findByRole("heading", { level: 1, name: "Settings" })).toBeInTheDocument();
    expect(currentPath(router)).toBe("/settings");
  });

  it("ignores a ?next= that leaves the app", async () => {
    asSignedOut(mockApi())
      .on("POST", "/api/v1/auth/token", () => json(200, accessToken("access-1")))
      .on("GET", "/api/v1/me", () => json(200, ada));
    const { user, router } = renderApp("/signin?next=%2F%2Fevil.example");

    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await waitFor(() => {
      expect(currentPath(router)).toBe("/");
    });
  });
});

describe("signed-out visitors", () => {
  it("are sent from / to /signin", async () => {
    asSignedOut(mockApi());
    const { router } = renderApp("/");

    expect(await screen.findByRole("heading", { name: "Sign in to Leaderful" })).toBeInTheDocument();
    expect(currentPath(router)).toBe("/signin");
  });

  it("come back to the page they asked for", async () => {
    asSignedOut(mockApi());
    const { router } = renderApp("/settings");

    await screen.findByRole("heading", { name: "Sign in to Leaderful" });
    expect(currentPath(router)).toBe("/signin?next=%2Fsettings");
  });
});
