import { describe, expect, it } from "vitest";
import {
  attemptTimeoutMs,
  callBudgetMs,
  DeadlineHttpHandler,
  RequestDeadline,
  type RequestLimits,
} from "../../src/adapters/request-deadline";
import { RequestDeadlineError } from "../../src/errors";

const LIMITS: RequestLimits = { requestTimeoutCapMs: 10_000, connectionTimeoutMs: 3_000, safetyMarginMs: 1_000 };
const NOW = 1_000_000;

describe("request timeouts from the time left", () => {
  it("give every attempt the cap when there is no deadline", () => {
    expect(callBudgetMs(LIMITS, undefined, NOW)).toBeUndefined();
    expect(attemptTimeoutMs(LIMITS, undefined, NOW)).toBe(10_000);
  });

  it("give an attempt the cap while the deadline is far", () => {
    expect(callBudgetMs(LIMITS, NOW + 60_000, NOW)).toBe(59_000);
    expect(attemptTimeoutMs(LIMITS, NOW + 60_000, NOW)).toBe(10_000);
    expect(attemptTimeoutMs(LIMITS, NOW + 11_000, NOW)).toBe(10_000);
  });

  it("give an attempt the time left less the safety margin once that is shorter than the cap", () => {
    expect(attemptTimeoutMs(LIMITS, NOW + 10_999, NOW)).toBe(9_999);
    expect(attemptTimeoutMs(LIMITS, NOW + 6_500, NOW)).toBe(5_500);
    expect(callBudgetMs(LIMITS, NOW + 1_001, NOW)).toBe(1);
    expect(attemptTimeoutMs(LIMITS, NOW + 1_001, NOW)).toBe(1);
  });

  it("leave no time at all within the safety margin or past the deadline", () => {
    for (const deadline of [NOW + 1_000, NOW + 400, NOW, NOW - 5_000]) {
      expect(callBudgetMs(LIMITS, deadline, NOW), String(deadline - NOW)).toBe(0);
      expect(attemptTimeoutMs(LIMITS, deadline, NOW), String(deadline - NOW)).toBe(0);
    }
  });

  it("are read from the deadline the invocation set, and from the caps when it set none", () => {
    // Prepare
    const deadline = new RequestDeadline();
    const unset = attemptTimeoutMs(LIMITS, undefined, NOW);

    // Act
    deadline.set(new Date(NOW + 4_000));
    const set = deadline.attemptTimeoutMs(LIMITS, NOW);
    deadline.set(undefined);
    const cleared = deadline.attemptTimeoutMs(LIMITS, NOW);

    // Assess
    expect(set).toBe(3_000);
    expect(cleared).toBe(unset);
  });
});

describe("DeadlineHttpHandler", () => {
  it("fails an attempt at once, without connecting, when the time left is gone", async () => {
    // Prepare: nothing listens on port 9; a request that went out would fail with ECONNREFUSED instead
    const deadline = new RequestDeadline();
    deadline.set(new Date(Date.now() + LIMITS.safetyMarginMs / 2));
    const handler = new DeadlineHttpHandler(deadline, LIMITS);
    const request = { protocol: "http:", hostname: "127.0.0.1", port: 9, method: "POST", path: "/", headers: {} };

    // Act
    const failure = await handler
      .handle(request as unknown as Parameters<DeadlineHttpHandler["handle"]>[0])
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(RequestDeadlineError);
    expect((failure as Error).message).toBe(
      "The request to 127.0.0.1 stopped: no time left before the invocation's deadline",
    );
    handler.destroy();
  });
});
