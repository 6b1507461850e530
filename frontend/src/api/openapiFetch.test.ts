/**
 * Checks the planned swap to openapi-fetch: `authFetch` must work as its `fetch`, including the
 * refresh-and-retry on 401 (openapi-fetch passes a `Request`, whose body can be read only once).
 */
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { accessToken, ada } from "../test/fixtures";
import { json, mockApi, problem } from "../test/fetchMock";
import { authFetch, signIn } from "./client";
import { apiErrorFrom } from "./errors";
import type { Me, MeUpdate, Problem } from "./types";

/** A hand-written stand-in for two operations of the generated `paths`. */
interface TestPaths {
  "/api/v1/me": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: Record<string, unknown>; content: { "application/json": Me } };
        401: { headers: Record<string, unknown>; content: { "application/problem+json": Problem } };
      };
    };
    patch: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": MeUpdate } };
      responses: {
        200: { headers: Record<string, unknown>; content: { "application/json": Me } };
        422: { headers: Record<string, unknown>; content: { "application/problem+json": Problem } };
      };
    };
  };
}

const client = createClient<TestPaths>({ baseUrl: "http://localhost", fetch: authFetch });

describe("authFetch as openapi-fetch's fetch", () => {
  it("refreshes on 401 and replays the request body", async () => {
    const api = mockApi()
      .on("POST", "/api/v1/auth/token", () => json(200, accessToken("access-1")))
      .on("POST", "/api/v1/auth/refresh", () => json(200, accessToken("access-2")))
      .on("PATCH", "/api/v1/me", () => problem(401), (call) => json(200, { ...ada, ...(JSON.parse(call.body ?? "{}") as object) }));
    await signIn("ada@example.com", "correct horse battery");

    const { data, error } = await client.PATCH("/api/v1/me", { body: { title: "Analyst" } });

    expect(error).toBeUndefined();
    expect(data?.title).toBe("Analyst");
    const patches = api.callsTo("PATCH", "/api/v1/me");
    expect(patches).toHaveLength(2);
    expect(patches.map((call) => call.headers.get("Authorization"))).toEqual(["Bearer access-1", "Bearer access-2"]);
  });

  it("hands problems over for apiErrorFrom", async () => {
    mockApi()
      .on("POST", "/api/v1/auth/token", () => json(200, accessToken("access-1")))
      .on("PATCH", "/api/v1/me", () =>
        problem(422, { title: "Unprocessable Content", errors: [{ loc: ["body", "title"], msg: "Too long", type: "string_too_long" }] }),
      );
    await signIn("ada@example.com", "correct horse battery");

    const { error, response } = await client.PATCH("/api/v1/me", { body: { title: "x".repeat(500) } });

    const apiError = apiErrorFrom(error, response);
    expect(apiError.status).toBe(422);
    expect(apiError.fieldErrors).toEqual({ title: "Too long" });
  });
});
