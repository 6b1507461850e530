import { describe, expect, it } from "vitest";
import { safeNext, signInPath } from "./next";

describe("safeNext", () => {
  it.each([
    ["/settings", "/settings"],
    ["/communities/design?sort=new#top", "/communities/design?sort=new#top"],
  ])("keeps the in-app path %s", (value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });

  it.each([null, "", "settings", "//evil.example/x", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "/signin", "/register?next=/"])(
    "refuses %s",
    (value) => {
      expect(safeNext(value)).toBeNull();
    },
  );
});

describe("signInPath", () => {
  it("comes back to where the visitor was, except home", () => {
    expect(signInPath("/settings")).toBe("/signin?next=%2Fsettings");
    expect(signInPath("/")).toBe("/signin");
  });
});
