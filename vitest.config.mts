import { defineConfig } from "vitest/config";

/**
 * Tests that start real protocol peers on 127.0.0.1 (dynalite, fauxqs, the Bedrock emulator, HTTP servers, the
 * packager): these folders, or files named *.integration.test.ts. Every other test runs in memory (`test:unit`).
 */
const WITH_PEERS = [
  "**/*.integration.test.ts",
  "test/integration/**",
  "test/bad-input/**",
  "test/deploy/**",
  "test/bench/**",
  "test/tools/*.test.ts",
  // The campaign's invariants are pure functions: they stay in memory.
  "test/tools/chaos/!(invariants).test.ts",
  "tools/*/test/**",
];

export default defineConfig({
  test: {
    // Integration tests start real protocol peers on 127.0.0.1; give them room on a 2-core CI machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The SDK warns on Node 20 about its 2027 support window; Lambda runs nodejs22.x. Noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: WITH_PEERS } },
      {
        extends: true,
        test: {
          name: "integration",
          include: WITH_PEERS.map((glob) => (glob.endsWith("/**") ? `${glob}/*.test.ts` : glob)),
        },
      },
    ],
  },
});
