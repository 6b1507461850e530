import { afterEach, describe, expect, it, vi } from "vitest";
import { accessToken, ada } from "../test/fixtures";
import { json, mockApi, noContent, problem } from "../test/fetchMock";
import { getMe, hasSession, onSessionEnded, refreshSession, signIn, signOut } from "./client";
import { ApiError } from "./errors";

async function signedInAs(token: string) {
  const api = mockApi().on("POST", "/api/v1/auth/token", () => json(200, accessToken(token)));
  await signIn("ada@example.com", "correct horse battery");
  return api;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("signIn", () => {
  it("posts the OAuth2 password form asking for the refresh cookie", async () => {
    const api = await signedInAs("access-1");

    const [call] = api.callsTo("POST", "/api/v1/auth/token");
    expect(call?.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(call?.credentials).toBe("include");
    const form = new URLSearchParams(call?.body ?? "");
    expect(Object.fromEntries(form)).toEqual({
      username: "ada@example.com",
      password: "correct horse battery",
      use_cookie: "true",
    });
    expect(hasSession()).toBe(true);
  });

  it("reports bad credentials without trying to refresh", async () => {
    const api = mockApi().on("POST", "/api/v1/auth/token", () =>
      problem(401, { title: "Unauthorized", detail: "Incorrect email or password." }),
    );

    const error = await signIn("ada@example.com", "wrong").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).message).toBe("Incorrect email or password.");
    expect(api.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(0);
    expect(hasSession()).toBe(false);
  });
});

describe("a 401 from an API call", () => {
  it("refreshes the session once and retries with the new token", async () => {
    const api = await signedInAs("access-1");
    api
      .on("GET", "/api/v1/me", () => problem(401, { title: "Unauthorized" }), () => json(200, ada))
      .on("POST", "/api/v1/auth/refresh", () => json(200, accessToken("access-2")));

    await expect(getMe()).resolves.toEqual(ada);

    const meCalls = api.callsTo("GET", "/api/v1/me");
    expect(meCalls.map((call) => call.headers.get("Authorization"))).toEqual([
      "Bearer access-1",
      "Bearer access-2",
    ]);
    const refreshes = api.callsTo("POST", "/api/v1/auth/refresh");
    expect(refreshes).toHaveLength(1);
    const [refresh] = refreshes;
    expect(refresh?.url.searchParams.get("use_cookie")).toBe("true");
    expect(refresh?.headers.get("X-Requested-With")).toBe("leaderful");
    expect(refresh?.headers.get("Content-Type")).toBe("application/json");
    expect(refresh?.body).toBe("{}");
    expect(refresh?.credentials).toBe("include");
    expect(refresh?.headers.get("Authorization")).toBeNull();
  });

  it("shares one refresh between requests that fail together", async () => {
    const api = await signedInAs("access-1");
    api
      .on("GET", "/api/v1/me", (call) =>
        call.headers.get("Authorization") === "Bearer access-2" ? json(200, ada) : problem(401),
      )
      .on("POST", "/api/v1/auth/refresh", () => json(200, accessToken("access-2")));

    await Promise.all([getMe(), getMe(), getMe()]);

    expect(api.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(1);
    expect(api.callsTo("GET", "/api/v1/me")).toHaveLength(6);
  });

  it("ends the session as expired when the refresh is refused", async () => {
    const api = await signedInAs("access-1");
    api
      .on("GET", "/api/v1/me", () => problem(401, { title: "Unauthorized" }))
      .on("POST", "/api/v1/auth/refresh", () => problem(401, { title: "Unauthorized" }));
    const ended = vi.fn();
    const unsubscribe = onSessionEnded(ended);

    await expect(getMe()).rejects.toMatchObject({ status: 401 });

    unsubscribe();
    expect(api.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(1);
    expect(api.callsTo("GET", "/api/v1/me")).toHaveLength(1);
    expect(ended).toHaveBeenCalledExactlyOnceWith({ type: "ended", reason: "expired" });
    expect(hasSession()).toBe(false);
  });

  it("gives up after one retry", async () => {
    const api = await signedInAs("access-1");
    api
      .on("GET", "/api/v1/me", () => problem(401))
      .on("POST", "/api/v1/auth/refresh", () => json(200, accessToken("access-2")));

    await expect(getMe()).rejects.toMatchObject({ status: 401 });

    expect(api.callsTo("GET", "/api/v1/me")).toHaveLength(2);
    expect(api.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(1);
    expect(hasSession()).toBe(false);
  });
});

describe("silent refresh", () => {
  it("refreshes a minute before the access token expires", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const api = await signedInAs("access-1"); // expires_in: 900 s
    api.on("POST", "/api/v1/auth/refresh", () => json(200, accessToken("access-2")));

    await vi.advanceTimersByTimeAsync(839_000);
    expect(api.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(1);

    // …and keeps doing so with each new token.
    await vi.advanceTimersByTimeAsync(840_000);
    expect(api.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(2);
  });

  it("answers false, not an error, when there is no refresh cookie", async () => {
    mockApi().on("POST", "/api/v1/auth/refresh", () => problem(401));
    await expect(refreshSession()).resolves.toBe(false);
    expect(hasSession()).toBe(false);
  });

  it("reports an unreachable server as an error", async () => {
    mockApi().on("POST", "/api/v1/auth/refresh", () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(refreshSession()).rejects.toMatchObject({ name: "NetworkError" });
  });
});

describe("signOut", () => {
  it("revokes the cookie session and forgets the token", async () => {
    const api = await signedInAs("access-1");
    api.on("POST", "/api/v1/auth/logout", () => noContent());

    await signOut();

    const [call] = api.callsTo("POST", "/api/v1/auth/logout");
    expect(call?.url.searchParams.get("use_cookie")).toBe("true");
    expect(call?.headers.get("X-Requested-With")).toBe("leaderful");
    expect(call?.headers.get("Authorization")).toBe("Bearer access-1");
    expect(call?.body).toBe("{}");
    expect(call?.credentials).toBe("include");
    expect(hasSession()).toBe(false);
  });

  it("still signs out locally when the server cannot be reached", async () => {
    const api = await signedInAs("access-1");
    api.on("POST", "/api/v1/auth/logout", () => {
      throw new TypeError("Failed to fetch");
    });

    await expect(signOut()).resolves.toBeUndefined();
    expect(hasSession()).toBe(false);
  });
});

describe("a refresh under way while signing out", () => {
  it("does not bring the session back", async () => {
    const api = await signedInAs("access-1");
    let answerRefresh: (response: Response) => void = () => undefined;
    api
      .on("POST", "/api/v1/auth/refresh", () => new Promise<Response>((resolve) => (answerRefresh = resolve)))
      .on("POST", "/api/v1/auth/logout", () => noContent());

    const refreshing = refreshSession();
    await signOut();
    answerRefresh(json(200, accessToken("access-2")));

    await expect(refreshing).resolves.toBe(false);
    expect(hasSession()).toBe(false);
  });
});

describe("signOut after the access token expired", () => {
  it("refreshes first so the server can revoke the session", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const api = await signedInAs("access-1");
    api
      .on("POST", "/api/v1/auth/refresh", () => json(200, accessToken("access-2")))
      .on("POST", "/api/v1/auth/logout", () => noContent());

    vi.setSystemTime(Date.now() + 901_000);
    await signOut();

    expect(api.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(1);
    expect(api.callsTo("POST", "/api/v1/auth/logout")[0]?.headers.get("Authorization")).toBe("Bearer access-2");
    expect(hasSession()).toBe(false);
  });
});
