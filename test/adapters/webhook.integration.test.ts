import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebhookClient } from "../../src/adapters/webhook";
import { WebhookDeliveryError } from "../../src/errors";
import { type LoopbackServer, startLoopbackServer } from "../support/loopback-server";

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
