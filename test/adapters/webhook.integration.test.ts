import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RequestDeadline } from "../../src/adapters/request-deadline";
import { WebhookClient } from "../../src/adapters/webhook";
import { PacedWebhookPoster } from "../../src/adapters/webhook-pacing";
import { ChannelDeliveryError, WebhookDeliveryError } from "../../src/errors";
import { WebhookChannel } from "../../src/notify/channels/webhook";
import { notifyChannel } from "../../src/notify/notify-channel";
import { CASES } from "../../tools/samples/events";
import { snsEventOf } from "../support/factories";
import { type LoopbackServer, startLoopbackServer } from "../support/loopback-server";
import { RecordingLogger } from "../support/recording-logger";

interface Received {
  method: string | undefined;
  path: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A local stand-in for Slack or Teams: each test says how it answers. */
let server: LoopbackServer;
let baseUrl: string;
let received: Received[] = [];
let answer: (request: IncomingMessage, response: ServerResponse) => void;

beforeAll(async () => {
  server = await startLoopbackServer((request, response, body) => {
    received.push({ method: request.method, path: request.url, contentType: request.headers["content-type"], body });
    answer(request, response);
  });
  baseUrl = server.url;
});

afterAll(() => server.stop());

beforeEach(() => {
  received = [];
  answer = (_request, response) => response.writeHead(200).end("ok");
});

const failureOf = (promise: Promise<unknown>): Promise<WebhookDeliveryError> =>
  promise.then(
    () => {
      throw new Error("expected the delivery to fail");
    },
    (error: unknown) => error as WebhookDeliveryError,
  );

describe("WebhookClient", () => {
  it("posts the body as JSON to the URL", async () => {
    // Prepare
    const client = new WebhookClient();

    // Act
    await client.postJson(`${baseUrl}/services/T000/B000/secret-token`, '{"text":"hi"}');

    // Assess
    expect(received).toEqual([
      {
        method: "POST",
        path: "/services/T000/B000/secret-token",
        contentType: "application/json; charset=utf-8",
        body: '{"text":"hi"}',
      },
    ]);
  });

  it("accepts any 2xx, as Teams Workflows answers 202 Accepted", async () => {
    // Prepare
    answer = (_request, response) => response.writeHead(202).end();

    // Act
    const delivery = new WebhookClient().postJson(`${baseUrl}/workflows`, "{}");

    // Assess
    await expect(delivery).resolves.toBeUndefined();
  });

  it("fails on a non-2xx answer with the status and the reason, but not the URL", async () => {
    // Prepare
    answer = (_request, response) => response.writeHead(400).end("invalid_payload");

    // Act
    const error = await failureOf(new WebhookClient().postJson(`${baseUrl}/services/secret-token`, "{}"));

    // Assess
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error.status).toBe(400);
    expect(error.message).toBe("Webhook delivery failed: HTTP 400 (invalid_payload)");
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain("secret-token");
  });

  it("treats a redirect as a failure instead of following it", async () => {
    // Prepare
    answer = (_request, response) => response.writeHead(302, { location: `${baseUrl}/elsewhere` }).end();

    // Act
    const error = await failureOf(new WebhookClient().postJson(`${baseUrl}/hook`, "{}"));

    // Assess
    expect(error.status).toBe(302);
    expect(received).toHaveLength(1);
  });

  it("gives up after the timeout when the endpoint does not answer", async () => {
    // Prepare
    answer = () => {
      // Never answers.
    };

    // Act
    const error = await failureOf(new WebhookClient({ timeoutMs: 200 }).postJson(`${baseUrl}/slow/secret-token`, "{}"));

    // Assess
    expect(error.message).toBe("Webhook delivery failed: no response within 200 ms");
    expect(error.status).toBeUndefined();
  });

  it("fails without the URL when nothing listens", async () => {
    // Prepare
    const closed = await startLoopbackServer(() => undefined);
    await closed.stop();

    // Act
    const error = await failureOf(new WebhookClient().postJson(`${closed.url}/secret-token`, "{}"));

    // Assess
    expect(error.message).toBe("Webhook delivery failed: the request could not be sent");
    expect(String((error.cause as Error).message)).not.toContain("secret-token");
  });
});

/**
 * A stand-in for Slack that enforces its rate limit: one accepted message per second per webhook; a request sooner
 * gets 429 with Retry-After (whole seconds, or an HTTP-date). It notes every request that came before the
 * Retry-After it last gave had elapsed: a client that honours Retry-After leaves that list empty.
 */
class RateLimitedWebhook {
  readonly accepted: string[] = [];
  readonly early: number[] = [];
  rateLimited = 0;
  #lastAcceptedAt = Number.NEGATIVE_INFINITY;
  #retryAt = 0;

  constructor(private readonly retryAfter: "seconds" | "date" = "seconds") {}

  handle(response: ServerResponse, body: string): void {
    const now = Date.now();
    if (now < this.#retryAt) this.early.push(this.#retryAt - now);
    if (now < this.#retryAt || now - this.#lastAcceptedAt < 1_000) {
      this.rateLimited++;
      // Dates have whole seconds: a date 2 s ahead, truncated, is 1 to 2 s away.
      const retryAt = this.retryAfter === "seconds" ? now + 1_000 : Math.floor((now + 2_000) / 1_000) * 1_000;
      this.#retryAt = retryAt;
      const header = this.retryAfter === "seconds" ? "1" : new Date(retryAt).toUTCString();
      response.writeHead(429, { "retry-after": header }).end("rate_limited");
      return;
    }
    this.#lastAcceptedAt = now;
    this.accepted.push(body);
    response.writeHead(200).end("ok");
  }
}

describe("PacedWebhookPoster against a webhook that enforces a rate limit", () => {
  let limited: RateLimitedWebhook;
  let limitedServer: LoopbackServer;

  beforeAll(async () => {
    limitedServer = await startLoopbackServer((_request, response, body) => limited.handle(response, body));
  });

  afterAll(() => limitedServer.stop());

  /** An invocation with 30 s left, as the deadline middleware would record it. */
  const deadline = (): RequestDeadline => {
    const invocation = new RequestDeadline();
    invocation.set(new Date(Date.now() + 30_000));
    return invocation;
  };

  it.each(["seconds", "date"] as const)(
    "delivers every message once, honouring each 429's Retry-After (%s), when sent faster than the limit",
    async (retryAfter) => {
      // Prepare
      limited = new RateLimitedWebhook(retryAfter);
      // No pacing of our own, so the server has to say 429.
      const poster = new PacedWebhookPoster(new WebhookClient(), {
        minIntervalMs: 0,
        timeoutMs: 2_000,
        maxAttempts: 10,
        deadline: deadline(),
      });
      const messages = ["1", "2", "3", "4"].map((id) => JSON.stringify({ text: `message ${id}` }));

      // Act
      await Promise.all(
        messages.map((message) => poster.postJson(`${limitedServer.url}/services/secret-token`, message)),
      );

      // Assess
      expect(limited.accepted).toEqual(messages);
      expect(limited.rateLimited).toBeGreaterThan(0);
      expect(limited.early).toEqual([]);
    },
  );

  it("never meets a 429 when paced at Slack's one message a second", async () => {
    // Prepare
    limited = new RateLimitedWebhook();
    const poster = new PacedWebhookPoster(new WebhookClient(), {
      minIntervalMs: 1_000,
      timeoutMs: 2_000,
      deadline: deadline(),
    });
    const messages = ["1", "2", "3"].map((id) => JSON.stringify({ text: `message ${id}` }));

    // Act
    for (const message of messages) await poster.postJson(`${limitedServer.url}/services/secret-token`, message);

    // Assess
    expect(limited.accepted).toEqual(messages);
    expect(limited.rateLimited).toBe(0);
  });
});

describe("PacedWebhookPoster's retries against a local webhook", () => {
  let answers: Array<(response: ServerResponse) => void>;
  let hits: number;
  let flaky: LoopbackServer;

  beforeAll(async () => {
    flaky = await startLoopbackServer((_request, response) => {
      hits++;
      const next = answers.shift();
      if (next) next(response);
      else response.writeHead(200).end("ok");
    });
  });

  afterAll(() => flaky.stop());

  beforeEach(() => {
    answers = [];
    hits = 0;
  });

  const poster = (timeoutMs = 2_000) => {
    const invocation = new RequestDeadline();
    invocation.set(new Date(Date.now() + 20_000));
    return new PacedWebhookPoster(new WebhookClient(), {
      minIntervalMs: 0,
      timeoutMs,
      baseDelayMs: 50,
      deadline: invocation,
    });
  };

  it("retries a 5xx and a request that got no answer in time, and posts", async () => {
    // Prepare
    answers = [
      (response) => response.writeHead(503).end("service_unavailable"),
      () => {
        // No answer: the attempt times out.
      },
    ];

    // Act
    await poster(300).postJson(`${flaky.url}/services/secret-token`, "{}");

    // Assess
    expect(hits).toBe(3);
  });

  it("does not retry a deleted webhook's 404, and fails the event without the URL in the error or the logs", async () => {
    // Prepare
    answers = [(response) => response.writeHead(404).end("no_service")];
    const channel = new WebhookChannel(
      "slack",
      "/bedrock-job-notifier/slack-webhook-url",
      { get: async () => "https://hooks.slack.com/services/T000/B000/secret-token" },
      {
        // The channel checks the URL is Slack's; this poster sends the same path to the local server instead.
        postJson: (url, body) => poster().postJson(`${flaky.url}${new URL(url).pathname}`, body),
      },
    );
    const logger = new RecordingLogger();

    // Act
    const error = await notifyChannel(snsEventOf(JSON.stringify(CASES["failed-long-message"])), {
      channel,
      logger,
    }).catch((caught: unknown) => caught);

    // Assess
    expect(hits).toBe(1);
    expect(error).toBeInstanceOf(ChannelDeliveryError);
    const cause = (error as Error).cause as WebhookDeliveryError;
    expect(cause.status).toBe(404);
    expect(cause.message).toBe("Webhook delivery failed: HTTP 404 (no_service)");
    expect(JSON.stringify({ error: String(error), cause: String(cause), logs: logger.text() })).not.toContain(
      "secret-token",
    );
  });
});
