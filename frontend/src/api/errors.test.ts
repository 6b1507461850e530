import { describe, expect, it } from "vitest";
import { problem } from "../test/fetchMock";
import { ApiError, NetworkError, describeError, errorFromResponse, fieldErrorsFrom } from "./errors";

describe("fieldErrorsFrom", () => {
  it("keys messages by field, dropping the request location", () => {
    expect(
      fieldErrorsFrom([
        { loc: ["body", "password"], msg: "Too short", type: "string_too_short" },
        { loc: ["body", "password"], msg: "Too common", type: "value_error" },
        { loc: ["body", "scopes", 0], msg: "Unknown scope", type: "enum" },
        { loc: ["query", "limit"], msg: "Too big", type: "less_than_equal" },
        { loc: ["body"], msg: "Unknown field: role", type: "extra_forbidden" },
      ]),
    ).toEqual({ password: "Too short", scopes: "Unknown scope", limit: "Too big", "": "Unknown field: role" });
  });
});

describe("errorFromResponse", () => {
  it("reads problem+json and Retry-After", async () => {
    const error = await errorFromResponse(
      problem(429, { title: "Too Many Requests", detail: "Slow down." }, { "Retry-After": "30" }),
    );
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(30);
    expect(describeError(error)).toBe("Too many attempts. Please wait 30 seconds and try again.");
  });

  it("copes with a non-JSON error page from a proxy", async () => {
    const error = await errorFromResponse(
      new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );
    expect(error.problem).toMatchObject({ status: 502, title: "Bad Gateway" });
    expect(describeError(error)).toMatch(/went wrong on our side/);
  });
});

describe("describeError", () => {
  it("prefers the problem's detail", () => {
    const error = new ApiError({ type: "about:blank", title: "Conflict", status: 409, detail: "Email taken." });
    expect(describeError(error)).toBe("Email taken.");
  });

  it("explains network failures", () => {
    expect(describeError(new NetworkError(new TypeError("Failed to fetch")))).toMatch(/couldn’t reach/);
  });
});
