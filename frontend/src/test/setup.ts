import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";
import { endSession } from "../api/client";

// A busy 2-core CI machine renders slowly: wait longer before a query gives up.
configure({ asyncUtilTimeout: 5000 });

// jsdom lacks a few browser APIs that Radix UI and React Router touch.
class ResizeObserverStub {
  observe(): void {
    /* not needed in tests */
  }
  unobserve(): void {
    /* not needed in tests */
  }
  disconnect(): void {
    /* not needed in tests */
  }
}
if (!("ResizeObserver" in globalThis)) {
  Object.assign(globalThis, { ResizeObserver: ResizeObserverStub });
}
const elementStubs = {
  scrollIntoView: () => undefined,
  hasPointerCapture: () => false,
  releasePointerCapture: () => undefined,
};
for (const [name, stub] of Object.entries(elementStubs)) {
  if (!(name in Element.prototype)) Object.defineProperty(Element.prototype, name, { value: stub });
}
Object.defineProperty(window, "scrollTo", { value: () => undefined, writable: true });

afterEach(() => {
  cleanup();
  // The session lives in module memory; no test may inherit the previous one's.
  endSession("signed-out");
  // Drafts and preferences kept in the browser must not leak into the next test.
  window.localStorage.clear();
});
