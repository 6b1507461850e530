/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The FastAPI server that `npm run dev` and `npm run preview` forward /api, /healthz and /readyz to.
// LEADERFUL_API_PROXY points them at another one (it is not exposed to the browser bundle).
const backend = process.env.LEADERFUL_API_PROXY ?? "http://127.0.0.1:8000";
const proxy = {
  "/api": { target: backend },
  "/healthz": { target: backend },
  "/readyz": { target: backend },
};

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy,
  },
  preview: {
    proxy,
  },
  build: {
    outDir: "dist",
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    unstubGlobals: true,
    css: false,
    testTimeout: 30_000,
  },
});
