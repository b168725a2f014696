import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookClient } from "../../src/adapters/webhook";
import { parseWebhookConfig } from "../../src/config/channel-config";
import type { JobStatusEvent } from "../../src/domain/event";
import { WebhookChannel } from "../../src/notify/channels/webhook";
import { notifyChannel } from "../../src/notify/notify-channel";
import { RoutedChannel } from "../../src/notify/routed-channel";
import { CASES } from "../../tools/samples/events";
import { snsEventOf } from "../support/factories";
import { type LoopbackServer, startLoopbackServer } from "../support/loopback-server";
import { RecordingLogger } from "../support/recording-logger";

/**
 * A webhook function with routes (WEBHOOK_ROUTES, as serverless/routes.js writes it) posts each event to every
 * matching webhook, and to no other: three local webhook servers stand in for three Slack channels.
 */
const ROUTES_ENV = JSON.stringify([
  {
    name: "prod-failures",
    target: "/bjn/slack-prod",
    filter: { statuses: ["Failed", "Expired"], accounts: ["123456789012"] },
  },
  { name: "all-failures", target: "/bjn/slack-all", filter: { statuses: ["Failed"] } },
  { name: "staging", target: "/bjn/slack-staging", filter: { accounts: ["210987654321"] } },
]);

const servers: Record<string, LoopbackServer> = {};
const received: Record<string, string[]> = {};

beforeAll(async () => {
  for (const name of ["prod", "all", "staging"]) {
    received[name] = [];
    servers[name] = await startLoopbackServer((_request, response, body) => {
      received[name]?.push(body);
      response.writeHead(200).end("ok");
    });
  }
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
});

describe("a webhook function with routes", () => {
  it("posts a prod failure to the two webhooks whose filters match, and not to the third", async () => {
    // Prepare: the function's configuration, read from its environment as at cold start.
    const config = parseWebhookConfig({
      WEBHOOK_FORMAT: "slack",
      WEBHOOK_ROUTES: ROUTES_ENV,
      DELIVERY_TABLE: "deliveries",
    });
    // Each parameter holds a Slack URL; the poster sends its path to the local server of that channel.
    const secrets = { get: async (name: string) => `https://hooks.slack.com/services/${name.split("-").pop()}` };
    const client = new WebhookClient();
    const poster = {
      postJson: (url: string, body: string) => {
        const server = servers[new URL(url).pathname.split("/").pop() as string] as LoopbackServer;
        return client.postJson(`${server.url}/services/x`, body);
      },
    };
    const logger = new RecordingLogger();
    const channel = new RoutedChannel(
      "slack",
      (config.routes ?? []).map((route) => ({
        name: route.name,
        filter: route.filter,
        channel: new WebhookChannel("slack", route.target, secrets, poster),
      })),
      logger,
    );
    const failed = CASES.failed as JobStatusEvent;
    expect(failed.job.accountId).toBe("123456789012");

    // Act
    const outcome = await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger });

    // Assess
    expect(outcome.delivered).toBe(1);
    expect(received.prod).toHaveLength(1);
    expect(received.all).toHaveLength(1);
    expect(received.staging).toHaveLength(0);
    expect(JSON.parse(received.prod?.[0] ?? "{}").text).toContain("Failed");
    expect(logger.text()).not.toContain("hooks.slack.com");
  });

  it("refuses at cold start a WEBHOOK_ROUTES that is not a list of routes, naming the variable", () => {
    expect(() =>
      parseWebhookConfig({ WEBHOOK_FORMAT: "slack", WEBHOOK_ROUTES: "[]", DELIVERY_TABLE: "deliveries" }),
    ).toThrow(/WEBHOOK_ROUTES must be a non-empty JSON list of routes/);
    expect(() =>
      parseWebhookConfig({
        WEBHOOK_FORMAT: "slack",
        WEBHOOK_ROUTES: JSON.stringify([{ name: "a", target: "/p", filter: { statuses: "Failed" } }]),
        DELIVERY_TABLE: "deliveries",
      }),
    ).toThrow(/WEBHOOK_ROUTES\[0\] \(a\) has a bad filter field: statuses/);
  });
});
