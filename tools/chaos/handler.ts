import type { BedrockEventsHandler, PollHandler } from "../local-stack/handlers";
import type { LocalStack } from "../local-stack/stack";
import { WARNINGS_OFF } from "../local-stack/warnings-off";

export type { BedrockEventsHandler, PollHandler };

/** The two functions that announce transitions, sharing one snapshot, one lease and one topic. */
export interface Handlers {
  poll: PollHandler;
  onBedrockEvents: BedrockEventsHandler;
}

/**
 * Gives fresh instances of handlers/poll.ts and handlers/on-bedrock-events.ts. A handler reads its environment and
 * builds its SDK clients once, at import (as on a Lambda cold start), so each scenario's stack needs its own
 * instances: the CLI clears the require cache, vitest resets its module registry.
 */
export type HandlerLoader = () => Promise<Handlers>;

/** Points a handler at the stack, with FIRST_RUN=notify so jobs present at the first poll are announced too. */
export function useStack(stack: LocalStack): void {
  // The campaign checks transitions; early warnings (their own events, checked in test/poll/warnings.test.ts) are off.
  Object.assign(process.env, stack.env, WARNINGS_OFF, {
    FIRST_RUN: "notify",
    LOOKBACK_MINUTES: "60",
    // The campaign judges by what was delivered and stored, not by logs: keep thousands of polls quiet.
    POWERTOOLS_LOG_LEVEL: "ERROR",
    POWERTOOLS_METRICS_DISABLED: "true",
  });
}
