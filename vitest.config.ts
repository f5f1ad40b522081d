import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    // The real-client suite installs its own clients and runs with `npm run test:clients`.
    exclude: ["**/node_modules/**", "test/clients/**"],
    // e2e tests spawn real processes; on a shared 2-core machine give them room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default"],
  },
});
