import { defineConfig } from "vitest/config";

/**
 * The real-client suite (`npm run test:clients`): each test starts real clients that start
 * voidmcp that starts the fixture, so give them room, and run the files one after another on a
 * shared 2-core machine.
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ["default"],
  },
});
