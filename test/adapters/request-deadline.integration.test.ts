import type { IncomingMessage, ServerResponse } from "node:http";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  boundedClient,
  REQUEST_LIMITS,
  RequestDeadline,
  type RequestLimits,
} from "../../src/adapters/request-deadline";
import { errorResponse } from "../../tools/chaos/sns-wire";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../tools/local-stack/stack";
import { type LoopbackServer, startLoopbackServer } from "../support/loopback-server";

/**
 * A stand-in for SNS on 127.0.0.1 that answers as each test says, by default never (a request stuck in the network
 * or in the service). The bounds asserted are generous: these tests show that a call ends, and roughly when, not
 * how fast.
 */
let server: LoopbackServer;
let received = 0;
let answer: (request: IncomingMessage, response: ServerResponse) => void;
const clients: SNSClient[] = [];

/** Far longer than any bound below: a call that waited for the server would fail these tests. */
const NEVER_MS = 30_000;

beforeAll(async () => {
  server = await startLoopbackServer((request, response) => {
    received++;
    answer(request, response);
  });
});

afterAll(() => server.stop());

beforeEach(() => {
  received = 0;
  answer = (_request, response) => {
    setTimeout(() => response.writeHead(200).end(), NEVER_MS).unref();
  };
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

/** An SNS client built as the handlers build theirs, bounded by `deadline`, pointed at the stand-in. */
function snsClient(deadline: RequestDeadline, limits: RequestLimits = REQUEST_LIMITS): SNSClient {
  const client = boundedClient(
    SNSClient,
    { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: server.url },
    { deadline, limits },
  );
  clients.push(client);
  return client;
}

function deadlineIn(ms: number): RequestDeadline {
  const deadline = new RequestDeadline();
  deadline.set(new Date(Date.now() + ms));
  return deadline;
}

/** Publishes once; resolves to how the call ended and how long it took. */
async function publish(client: SNSClient): Promise<{ error: Error | undefined; elapsedMs: number }> {
  const startedAt = Date.now();
  const command = new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:123456789012:events", Message: "{}" });
  const error = await client.send(command).then(
    () => undefined,
    (failure: unknown) => failure as Error,
  );
  return { error, elapsedMs: Date.now() - startedAt };
}

describe("SDK clients bounded by the invocation's deadline", () => {
  it("fail a request the server never answers once the time left is used up, not when the server answers", async () => {
    // Prepare: 2 s left, less the 1 s safety margin
    const client = snsClient(deadlineIn(2_000));

    // Act
    const { error, elapsedMs } = await publish(client);

    // Assess
    expect(error?.name).toMatch(/^(RequestDeadlineError|TimeoutError)$/);
    expect(elapsedMs).toBeGreaterThanOrEqual(500);
    expect(elapsedMs).toBeLessThan(10_000);
    expect(received).toBeGreaterThanOrEqual(1);
  });

  it("fail at once, sending nothing, when the call starts with no time left", async () => {
    // Prepare: less time left than the safety margin
    const client = snsClient(deadlineIn(REQUEST_LIMITS.safetyMarginMs / 2));

    // Act
    const { error, elapsedMs } = await publish(client);

    // Assess
    expect(error?.name).toBe("RequestDeadlineError");
    expect(error?.message).toContain("SNSClient PublishCommand");
    expect(elapsedMs).toBeLessThan(1_000);
    expect(received).toBe(0);
  });

  it("stop the SDK's wait before a retry when the time left runs out", async () => {
    // Prepare: throttled, and told to come back in 30 s; the SDK would wait 5 s or more before its next attempt
    answer = (_request, response) => {
      response
        .writeHead(400, { "content-type": "text/xml", "retry-after": "30" })
        .end(errorResponse("Sender", "Throttling", "Rate exceeded"));
    };
    const client = snsClient(deadlineIn(2_500));

    // Act
    const { error, elapsedMs } = await publish(client);

    // Assess
    expect(error?.name).toBe("RequestDeadlineError");
    expect(error?.cause).toMatchObject({ name: "AbortError" });
    expect(elapsedMs).toBeLessThan(4_000);
    expect(received).toBe(1);
  });

  it("without a deadline, cut each attempt at the fixed cap and let the SDK retry", async () => {
    // Prepare
    const client = snsClient(new RequestDeadline(), { ...REQUEST_LIMITS, requestTimeoutCapMs: 300 });

    // Act
    const { error, elapsedMs } = await publish(client);

    // Assess
    expect(error?.name).toBe("TimeoutError");
    expect(error?.message).toContain("300 ms requestTimeout");
    expect(received).toBe(3);
    expect(elapsedMs).toBeGreaterThanOrEqual(3 * 300);
    expect(elapsedMs).toBeLessThan(10_000);
  });
});
