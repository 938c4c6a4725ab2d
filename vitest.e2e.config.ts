import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// End-to-end specs: each file starts the built app on its own port and database and drives Chromium.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["e2e/**/*.spec.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
