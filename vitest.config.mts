import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "tools/*/test/**/*.test.ts"],
    // Integration tests start real protocol peers on 127.0.0.1; give them room on a 2-core CI machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The SDK warns on Node 20 about its 2027 support window; Lambda runs nodejs22.x. Noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
