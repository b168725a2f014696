import { describe, expect, it } from "vitest";
import { RequestDeadline } from "../../src/adapters/request-deadline";
import { parseRetryAfter, type WebhookAttempt } from "../../src/adapters/webhook";
import { isTransient, PacedWebhookPoster, type WebhookPacingOptions } from "../../src/adapters/webhook-pacing";
import { WebhookDeliveryError } from "../../src/errors";

const URL_A = "https://hooks.slack.com/services/T000/B000/secret-a";
const URL_B = "https://hooks.slack.com/services/T000/B000/secret-b";

/** What one attempt answers: ok, or a failure with this status (undefined: no answer) and Retry-After. */
type Answer = "ok" | { status: number | undefined; retryAfterMs?: number };

const failure = (status: number | undefined, retryAfterMs?: number): Answer => ({
  status,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/**
 * A virtual clock (sleeping advances it) and a scripted webhook recording when each attempt started, to which
 * URL, and with what timeout.
 */
class Harness {
  now = 1_000_000;
  readonly sleeps: number[] = [];
  readonly attempts: Array<{ url: string; at: number; timeoutMs: number }> = [];
  readonly deadline = new RequestDeadline();
  constructor(private readonly answers: Answer[] = []) {}

  readonly attempt: WebhookAttempt = {
    post: async (url, _body, timeoutMs) => {
      this.attempts.push({ url, at: this.now, timeoutMs });
      const answer = this.answers.shift() ?? "ok";
      if (answer === "ok") return;
      const { status, retryAfterMs } = answer;
      throw new WebhookDeliveryError(
        `Webhook delivery failed: ${status === undefined ? "no response within 5000 ms" : `HTTP ${status}`}`,
        status,
        { retryAfterMs },
      );
    },
  };

  poster(options: Partial<WebhookPacingOptions> = {}): PacedWebhookPoster {
    return new PacedWebhookPoster(this.attempt, {
      minIntervalMs: 1000,
      timeoutMs: 5000,
      deadline: this.deadline,
      now: () => this.now,
      sleep: async (ms) => {
        this.sleeps.push(ms);
        this.now += ms;
      },
      // The longest wait full jitter allows, so that a test can name the figures.
      random: () => 0.999_999,
      ...options,
    });
  }

  /** Lambda's deadline for an invocation starting now. */
  invocation(timeoutMs: number): void {
    this.deadline.set(new Date(this.now + timeoutMs));
  }

  gaps(): number[] {
    return this.attempts.slice(1).map((attempt, index) => attempt.at - (this.attempts[index]?.at ?? 0));
  }
}

const failureOf = (promise: Promise<unknown>): Promise<WebhookDeliveryError> =>
  promise.then(
    () => {
      throw new Error("expected the delivery to fail");
    },
    (error: unknown) => error as WebhookDeliveryError,
  );

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-03-01T12:00:00.000Z");

  it.each([
    ["seconds", "30", 30_000],
    ["zero", "0", 0],
    ["fractional seconds, which some servers send", "1.5", 1_500],
    ["an HTTP-date", "Sat, 01 Mar 2025 12:00:07 GMT", 7_000],
    ["an HTTP-date already past", "Sat, 01 Mar 2025 11:59:00 GMT", 0],
  ])("reads %s", (_, value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([[null], [""], ["soon"], ["-5"], ["1e3"]])("ignores %j, leaving the backoff to decide", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("isTransient", () => {
  it("retries no answer, 408, 425, 429 and 5xx; nothing else", () => {
    const transient = [undefined, 408, 425, 429, 500, 502, 503, 504];
    const permanent = [301, 302, 400, 401, 403, 404, 410, 413];
    expect(transient.map((status) => isTransient(new WebhookDeliveryError("x", status)))).toEqual(
      transient.map(() => true),
    );
    expect(permanent.map((status) => isTransient(new WebhookDeliveryError("x", status)))).toEqual(
      permanent.map(() => false),
    );
  });
});

describe("PacedWebhookPoster", () => {
  it("starts no attempt before the webhook's Retry-After has elapsed", async () => {
    // Prepare
    const harness = new Harness([failure(429, 3_000), "ok"]);
    harness.invocation(20_000);

    // Act
    await harness.poster().postJson(URL_A, "{}");

    // Assess
    expect(harness.attempts).toHaveLength(2);
    expect(harness.gaps()[0]).toBeGreaterThanOrEqual(3_000);
  });

  it("backs off exponentially, capped, on failures that say nothing about when to come back", async () => {
    // Prepare
    const harness = new Harness([failure(503), failure(500), failure(undefined), failure(502), "ok"]);
    harness.invocation(60_000);

    // Act
    await harness.poster({ minIntervalMs: 0, baseDelayMs: 500, maxDelayMs: 1_500 }).postJson(URL_A, "{}");

    // Assess: the longest full-jitter waits, 500 × 2^n capped at 1,500 (whole milliseconds).
    expect(harness.gaps()).toEqual([499, 999, 1_499, 1_499]);
  });

  it("spreads the waits at random below the cap (full jitter)", async () => {
    // Prepare
    const harness = new Harness([failure(503), "ok"]);
    harness.invocation(60_000);

    // Act
    await harness.poster({ minIntervalMs: 0, random: () => 0.25 }).postJson(URL_A, "{}");

    // Assess
    expect(harness.gaps()).toEqual([125]);
  });

  it("does not retry a permanent refusal (a deleted webhook's 404)", async () => {
    // Prepare
    const harness = new Harness([failure(404), "ok"]);
    harness.invocation(20_000);

    // Act
    const error = await failureOf(harness.poster().postJson(URL_A, "{}"));

    // Assess
    expect(harness.attempts).toHaveLength(1);
    expect(error.status).toBe(404);
  });

  it("gives up before the deadline, keeping the reserve free, and says how many attempts it made", async () => {
    // Prepare
    const harness = new Harness(Array.from({ length: 20 }, () => failure(503, 4_000)));
    harness.invocation(20_000);
    const deadlineAt = harness.now + 20_000;

    // Act
    const error = await failureOf(harness.poster({ maxAttempts: 20, reserveMs: 2_000 }).postJson(URL_A, "{}"));

    // Assess: attempts at 0, 4.1, 8.2, 12.3 and 16.4 s (its timeout cut to 1.6 s); the next may not start before
    // 20.5 s, past the deadline.
    expect(harness.attempts).toHaveLength(5);
    for (const attempt of harness.attempts)
      expect(attempt.at + attempt.timeoutMs).toBeLessThanOrEqual(deadlineAt - 2_000);
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      "Webhook delivery failed: HTTP 503; gave up after 5 attempt(s): the next attempt may start only in 5 s " +
        "(pacing or the webhook's Retry-After), past this invocation's deadline",
    );
    expect(error.message).not.toContain("secret");
  });

  it("cuts an attempt's timeout to the time left before the reserve", async () => {
    // Prepare
    const harness = new Harness(["ok"]);
    harness.invocation(3_500);

    // Act
    await harness.poster({ timeoutMs: 5_000, reserveMs: 2_000 }).postJson(URL_A, "{}");

    // Assess
    expect(harness.attempts[0]?.timeoutMs).toBe(1_500);
  });

  it("stops after maxAttempts even with time left", async () => {
    // Prepare
    const harness = new Harness(Array.from({ length: 10 }, () => failure(500)));
    harness.invocation(600_000);

    // Act
    const error = await failureOf(harness.poster({ maxAttempts: 3 }).postJson(URL_A, "{}"));

    // Assess
    expect(harness.attempts).toHaveLength(3);
    expect(error.message).toBe("Webhook delivery failed: HTTP 500; gave up after 3 attempts");
  });

  it("fails at once on a Retry-After past the deadline, and holds back the sandbox's next invocation until it elapses", async () => {
    // Prepare
    const harness = new Harness([failure(429, 60_000), "ok"]);
    const poster = harness.poster();
    harness.invocation(20_000);

    // Act
    const first = await failureOf(poster.postJson(URL_A, "{}"));
    harness.now += 20_000;
    harness.invocation(20_000);
    const tooEarly = await failureOf(poster.postJson(URL_A, "{}"));
    harness.now += 41_000;
    harness.invocation(20_000);
    await poster.postJson(URL_A, "{}");

    // Assess
    expect(first.message).toContain("HTTP 429; gave up after 1 attempt(s): the next attempt may start only in 61 s");
    expect(tooEarly.message).toBe(
      "Webhook delivery not attempted: the next attempt may start only in 41 s (pacing or the webhook's " +
        "Retry-After), past this invocation's deadline",
    );
    expect(harness.sleeps).toEqual([]);
    expect(harness.attempts).toHaveLength(2);
    expect(harness.attempts[1]?.at).toBeGreaterThanOrEqual((harness.attempts[0]?.at ?? 0) + 60_000);
  });

  it("paces posts to one webhook at minIntervalMs, and does not pace different webhooks against each other", async () => {
    // Prepare
    const harness = new Harness();
    harness.invocation(60_000);
    const poster = harness.poster({ minIntervalMs: 1_000 });

    // Act
    await poster.postJson(URL_A, "{}");
    await poster.postJson(URL_B, "{}");
    await poster.postJson(URL_A, "{}");

    // Assess
    expect(harness.attempts.map((attempt) => [attempt.url, attempt.at - (harness.attempts[0]?.at ?? 0)])).toEqual([
      [URL_A, 0],
      [URL_B, 0],
      [URL_A, 1_000],
    ]);
  });

  it("posts to one webhook one request at a time, in order, even when asked for several at once", async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const slow: WebhookAttempt = {
      post: async (_url, body) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(body);
        inFlight--;
      },
    };
    const poster = new PacedWebhookPoster(slow, {
      minIntervalMs: 0,
      timeoutMs: 1_000,
      deadline: new RequestDeadline(),
    });

    // Act
    await Promise.all(["1", "2", "3", "4"].map((body) => poster.postJson(URL_A, body)));

    // Assess
    expect(most).toBe(1);
    expect(order).toEqual(["1", "2", "3", "4"]);
  });

  it("goes on with the next post after one failed for good", async () => {
    // Prepare
    const harness = new Harness([failure(400), "ok"]);
    harness.invocation(60_000);
    const poster = harness.poster();

    // Act
    const results = await Promise.allSettled([poster.postJson(URL_A, "bad"), poster.postJson(URL_A, "good")]);

    // Assess
    expect(results.map((result) => result.status)).toEqual(["rejected", "fulfilled"]);
  });
});
