import { describe, expect, it } from "vitest";
import { aroundSuccess } from "./mutations";

describe("aroundSuccess", () => {
  it("runs the feature's cache writes, then the page's reaction, then the refetches, awaiting each", async () => {
    const order: string[] = [];
    const callbacks = aroundSuccess<number, string>(
      {
        onSuccess: async (data, variables) => {
          await Promise.resolve();
          order.push(`page ${String(data)} ${variables}`);
        },
      },
      {
        before: async () => {
          await Promise.resolve();
          order.push("before");
        },
        after: () => {
          order.push("after");
        },
      },
    );
    await callbacks.onSuccess?.(1, "x", undefined, {} as never);
    expect(order).toEqual(["before", "page 1 x", "after"]);
  });

  it("hands errors to the page untouched", () => {
    const seen: unknown[] = [];
    const callbacks = aroundSuccess<number, string>({ onError: (error) => seen.push(error) }, {});
    const error = new Error("refused");
    void callbacks.onError?.(error, "x", undefined, {} as never);
    expect(seen).toEqual([error]);
  });
});
