import { type AttributeValue, DynamoDBClient, GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SNSEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PowertoolsDeliveryLedger } from "../../src/adapters/delivery-ledger";
import { TopicPublisher } from "../../src/adapters/topic-publisher";
import { WebhookClient } from "../../src/adapters/webhook";
import type { NotifierEvent } from "../../src/domain/notifier-event";
import { ChannelDeliveryError, DeliveryInProgressError, WebhookDeliveryError } from "../../src/errors";
import type { NotificationChannel } from "../../src/notify/channel";
import { EmailChannel } from "../../src/notify/channels/email";
import { WebhookChannel } from "../../src/notify/channels/webhook";
import { type NotifyOutcome, notifyChannel } from "../../src/notify/notify-channel";
import { type LocalPeer, startDynalite, startFauxqs } from "../../tools/local-stack/peers";
import { LOCAL_CREDENTIALS } from "../../tools/local-stack/stack";
import { createDeliveryTable } from "../../tools/local-stack/template";
import { CASES } from "../../tools/samples/events";
import { snsEventOf } from "../support/factories";
import { type LoopbackServer, startLoopbackServer } from "../support/loopback-server";
import { RecordingLogger } from "../support/recording-logger";

/**
 * The people channels' delivery record, for real: Powertools idempotency on dynalite (DynamoDB's protocol, the
 * table as serverless/channels-resources.yml declares it), in front of a Slack webhook (a local HTTP server) and the
 * email topic (fauxqs, a queue standing in for the mailbox). A re-send is what the notifier can send again under
 * the same eventId: the poll's re-send after a crash between publish and commit, the SDK's re-publish of a batch
 * whose answer was lost, and SNS or Lambda handing the same message over twice.
 */
const SLACK_URL = "https://hooks.slack.com/services/T000/B000/secret-token";
const URL_PARAMETER = "/bedrock-job-notifier/slack-webhook-url";
const DAY_SECONDS = 24 * 3600;
const failed = CASES["failed-long-message"] as NotifierEvent;
const completed = CASES.completed as NotifierEvent;

let dynalite: LocalPeer;
let fauxqs: LocalPeer;
let dynamodb: DynamoDBClient;
let sns: SNSClient;
let sqs: SQSClient;
let slack: LoopbackServer;
/** Every request the stand-in for Slack received, and how it answered. */
let requests: Array<{ body: string; status: number }>;
/** How the stand-in for Slack answers the next request: 200 unless a test says otherwise. */
let answer: (respond: (status: number) => void) => void;
let tableName: string;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  fauxqs = await startFauxqs();
  const config = { region: "us-east-1", credentials: LOCAL_CREDENTIALS };
  dynamodb = new DynamoDBClient({ ...config, endpoint: dynalite.endpoint });
  sns = new SNSClient({ ...config, endpoint: fauxqs.endpoint });
  sqs = new SQSClient({ ...config, endpoint: fauxqs.endpoint, useQueueUrlAsEndpoint: false });
  slack = await startLoopbackServer((_request, response, body) => {
    answer((status) => {
      requests.push({ body, status });
      response.writeHead(status).end(status === 200 ? "ok" : "internal_error");
    });
  });
});

afterAll(async () => {
  for (const client of [dynamodb, sns, sqs]) client?.destroy();
  await slack?.stop();
  await dynalite?.stop();
  await fauxqs?.stop();
});

beforeEach(async () => {
  requests = [];
  answer = (respond) => respond(200);
  // A fresh table per test, as the template declares it.
  tableName = `bedrock-job-notifier-test-NotifyDeliveryTable-${++tables}`;
  await createDeliveryTable(dynamodb, tableName);
});

/** The ledger one sandbox of a people function builds at cold start; `remainingMs` is its invocation's time left. */
const ledgerFor = (channel: string, destination: string, remainingMs = 10_000) =>
  new PowertoolsDeliveryLedger({
    client: dynamodb,
    tableName,
    channel,
    destination,
    expiresAfterSeconds: DAY_SECONDS,
    remainingTimeMs: () => remainingMs,
  });

/** The Slack channel, posting to the local server in place of hooks.slack.com (same path, same body). */
const slackChannel = (): WebhookChannel =>
  new WebhookChannel(
    "slack",
    URL_PARAMETER,
    { get: async () => SLACK_URL },
    new WebhookClient({ fetch: (url, init) => fetch(`${slack.url}${new URL(String(url)).pathname}`, init) }),
  );

/** The same SNS message delivered again (SNS's or Lambda's own duplicate), or re-published under a new id. */
const withMessageId = (event: SNSEvent, messageId: string): SNSEvent => ({
  Records: event.Records.map((record) => ({ ...record, Sns: { ...record.Sns, MessageId: messageId } })),
});

const posted = (): string[] => requests.filter((request) => request.status === 200).map((request) => request.body);

async function records(): Promise<Array<Record<string, AttributeValue>>> {
  return (await dynamodb.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
}

describe("a people channel delivers each event once (Powertools idempotency on dynalite)", () => {
  it("posts to Slack once across a crash re-send, a lost-answer re-send and a duplicate SNS delivery", async () => {
    // Prepare
    const channel = slackChannel();
    const ledger = ledgerFor("slack", URL_PARAMETER);
    const logger = new RecordingLogger();
    const original = snsEventOf(JSON.stringify(failed));
    const resends = [
      // The next poll re-sends a transition whose commit a crash prevented: a new SNS message, the same eventId.
      withMessageId(original, "republished-after-crash"),
      // The SDK re-sent a PublishBatch whose answer was lost: SNS had applied it, so a second message.
      withMessageId(original, "republished-after-lost-answer"),
      // SNS (or Lambda's own queue) hands the same message over again.
      original,
    ];

    // Act
    const first = await notifyChannel(original, { channel, logger, ledger });
    const again: NotifyOutcome[] = [];
    for (const resend of resends) again.push(await notifyChannel(resend, { channel, logger, ledger }));

    // Assess
    expect(first).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(again).toEqual(resends.map(() => ({ delivered: 0, skipped: 0, duplicates: 1 })));
    expect(posted()).toHaveLength(1);
    const [record] = await records();
    expect(record?.status?.S).toBe("COMPLETED");
    expect(record?.id?.S).toMatch(new RegExp(`^slack#${URL_PARAMETER}#`));
    // The URL is a secret: the key names the parameter instead.
    expect(JSON.stringify(await records())).not.toContain("secret-token");
  });

  it("posts two different events twice", async () => {
    // Prepare
    const channel = slackChannel();
    const ledger = ledgerFor("slack", URL_PARAMETER);
    const logger = new RecordingLogger();

    // Act
    await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger, ledger });
    await notifyChannel(snsEventOf(JSON.stringify(completed)), { channel, logger, ledger });

    // Assess
    expect(posted().map((body) => JSON.parse(body).text)).toEqual([
      expect.stringContaining("Failed"),
      expect.stringContaining("Completed"),
    ]);
    expect((await records()).map((record) => record.status?.S)).toEqual(["COMPLETED", "COMPLETED"]);
  });

  it("lets each destination deliver the same event once: another channel is not shadowed by Slack's record", async () => {
    // Prepare
    const logger = new RecordingLogger();
    const body = JSON.stringify(failed);

    // Act
    await notifyChannel(snsEventOf(body), { channel: slackChannel(), logger, ledger: ledgerFor("slack", "/a") });
    const otherWebhook = await notifyChannel(snsEventOf(body), {
      channel: slackChannel(),
      logger,
      ledger: ledgerFor("slack", "/b"),
    });

    // Assess
    expect(otherWebhook).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(posted()).toHaveLength(2);
  });

  it("retries a delivery whose post failed, posts once it succeeds, and then drops the re-send", async () => {
    // Prepare
    const channel = slackChannel();
    const ledger = ledgerFor("slack", URL_PARAMETER);
    const logger = new RecordingLogger();
    const event = snsEventOf(JSON.stringify(failed));
    answer = (respond) => respond(500);

    // Act
    const firstAttempt = await notifyChannel(event, { channel, logger, ledger }).catch((error: unknown) => error);
    const afterFailure = await records();
    answer = (respond) => respond(200);
    const lambdaRetry = await notifyChannel(event, { channel, logger, ledger });
    const resend = await notifyChannel(event, { channel, logger, ledger });

    // Assess
    expect(firstAttempt).toBeInstanceOf(ChannelDeliveryError);
    expect((firstAttempt as Error).cause).toBeInstanceOf(WebhookDeliveryError);
    // No stale record: the failed delivery's INPROGRESS record was deleted, so the retry was not taken for a re-send.
    expect(afterFailure).toEqual([]);
    expect(lambdaRetry).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(resend).toEqual({ delivered: 0, skipped: 0, duplicates: 1 });
    expect(requests.map((request) => request.status)).toEqual([500, 200]);
  });

  it("refuses a concurrent duplicate while the first copy is being posted, and drops its retry once that one is done", async () => {
    // Prepare
    const logger = new RecordingLogger();
    const event = snsEventOf(JSON.stringify(failed));
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const firstArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    answer = (respond) => {
      arrived();
      release = () => respond(200);
    };
    // Two sandboxes of the function, each with its own ledger, as Lambda would run them side by side.
    const first = notifyChannel(event, { channel: slackChannel(), logger, ledger: ledgerFor("slack", URL_PARAMETER) });
    await firstArrived;
    answer = (respond) => respond(200);
    const secondSandbox = ledgerFor("slack", URL_PARAMETER);

    // Act
    const concurrent = await notifyChannel(event, { channel: slackChannel(), logger, ledger: secondSandbox }).catch(
      (error: unknown) => error,
    );
    release();
    const firstOutcome = await first;
    const lambdaRetry = await notifyChannel(event, { channel: slackChannel(), logger, ledger: secondSandbox });

    // Assess
    // Not lost: the invocation fails, so Lambda retries it a minute later.
    expect(concurrent).toBeInstanceOf(ChannelDeliveryError);
    expect((concurrent as Error).cause).toBeInstanceOf(DeliveryInProgressError);
    expect(firstOutcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(lambdaRetry).toEqual({ delivered: 0, skipped: 0, duplicates: 1 });
    expect(posted()).toHaveLength(1);
  });

  it("stays at least once: a function that dies after posting and before recording posts again once its record expires", async () => {
    // Prepare
    const logger = new RecordingLogger();
    const event = snsEventOf(JSON.stringify(failed));
    const lifetimeMs = 400;
    /** Posts, then never returns: the sandbox was frozen or killed at its timeout before the COMPLETED update. */
    const diesAfterPosting: NotificationChannel = {
      name: "slack",
      deliver: async (notifierEvent) => {
        await slackChannel().deliver(notifierEvent);
        await new Promise<never>(() => undefined);
      },
    };
    void notifyChannel(event, {
      channel: diesAfterPosting,
      logger,
      ledger: ledgerFor("slack", URL_PARAMETER, lifetimeMs),
    });
    await waitFor(() => posted().length === 1);

    // Act
    const beforeItsDeadline = await notifyChannel(event, {
      channel: slackChannel(),
      logger,
      ledger: ledgerFor("slack", URL_PARAMETER),
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, lifetimeMs + 100));
    const afterItsDeadline = await notifyChannel(event, {
      channel: slackChannel(),
      logger,
      ledger: ledgerFor("slack", URL_PARAMETER),
    });

    // Assess
    expect((beforeItsDeadline as Error).cause).toBeInstanceOf(DeliveryInProgressError);
    // The documented double post (docs/reliability.md): the INPROGRESS record expired with the dead invocation.
    expect(afterItsDeadline).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(posted()).toHaveLength(2);
  });

  it("emails once across re-sends of the same event, and once per different event (email topic on fauxqs)", async () => {
    // Prepare
    const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: `email-${tables}` }));
    const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `mailbox-${tables}` }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: "sqs",
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: "true" },
      }),
    );
    const channel = new EmailChannel(new TopicPublisher(sns, topicArn as string));
    const ledger = ledgerFor("email", topicArn as string);
    const logger = new RecordingLogger();
    const original = snsEventOf(JSON.stringify(failed));

    // Act
    await notifyChannel(original, { channel, logger, ledger });
    await notifyChannel(withMessageId(original, "republished-after-crash"), { channel, logger, ledger });
    await notifyChannel(original, { channel, logger, ledger });
    await notifyChannel(snsEventOf(JSON.stringify(completed)), { channel, logger, ledger });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );

    // Assess
    expect(Messages.map((message) => message.Body?.split("\n")[0])).toEqual([
      expect.stringContaining("is now Failed"),
      expect.stringContaining("is now Completed"),
    ]);
    const key = (await records())[0]?.id as AttributeValue;
    const stored = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { id: key } }));
    expect(stored.Item?.id?.S).toMatch(/^email#arn:aws:sns:/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
