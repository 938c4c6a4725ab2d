import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Unit and integration tests. Each file gets its own PostgreSQL database cloned from a migrated template
// (tests/setup-database.ts); `npm test` starts the server and provides TEST_PG_URL.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "server/**/*.test.ts", "workers/**/*.test.ts", "seed/**/*.test.ts", "tests/**/*.test.ts"],
    setupFiles: ["tests/setup-database.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
