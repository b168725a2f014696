import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CASES } from "../../tools/samples/events";
import { snsEventOf } from "../support/factories";

const EMAIL_TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-email";
const DELIVERY_TABLE = "bedrock-job-notifier-test-NotifyDeliveryTable-ABC123";

/** One fake Lambda context, enough for middy and the Powertools logger. */
const context = {
  functionName: "bedrock-job-notifier-test-notifyEmail",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bedrock-job-notifier-test-notifyEmail",
  memoryLimitInMB: "256",
  awsRequestId: "request-1",
  logGroupName: "/aws/lambda/bedrock-job-notifier-test-notifyEmail",
  logStreamName: "stream",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);
const dynamodb = mockClient(DynamoDBClient);
const eventbridge = mockClient(EventBridgeClient);

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("POWERTOOLS_LOG_LEVEL", "SILENT");
  vi.stubEnv("DELIVERY_TABLE", DELIVERY_TABLE);
  // The delivery table knows no event yet: the conditional put of the INPROGRESS record succeeds.
  dynamodb.on(PutItemCommand).resolves({});
  dynamodb.on(UpdateItemCommand).resolves({});
  dynamodb.on(DeleteItemCommand).resolves({});
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  sns.reset();
  ssm.reset();
  dynamodb.reset();
  eventbridge.reset();
});

describe("notify-email handler", () => {
  it("is wired from its environment at cold start and publishes the email", async () => {
    // Prepare
    vi.stubEnv("EMAIL_TOPIC_ARN", EMAIL_TOPIC);
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const { handler } = await import("../../handlers/notify-email");

    // Act
    const outcome = await handler(snsEventOf(JSON.stringify(CASES.completed)), context);

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.TopicArn).toBe(EMAIL_TOPIC);
  });

  it("labels the account with the alias ACCOUNT_ALIASES gives it", async () => {
    // Prepare
    vi.stubEnv("EMAIL_TOPIC_ARN", EMAIL_TOPIC);
    vi.stubEnv("ACCOUNT_ALIASES", "123456789012:prod,210987654321:staging");
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const { handler } = await import("../../handlers/notify-email");

    // Act
    await handler(snsEventOf(JSON.stringify(CASES.completed)), context);

    // Assess
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain("Account:     prod (123456789012)");
  });

  it("records the delivery in the delivery table: INPROGRESS under the channel and topic, then COMPLETED for 24 h", async () => {
    // Prepare
    vi.stubEnv("EMAIL_TOPIC_ARN", EMAIL_TOPIC);
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const { handler } = await import("../../handlers/notify-email");
    const before = Math.floor(Date.now() / 1000);

    // Act
    await handler(snsEventOf(JSON.stringify(CASES.completed)), context);

    // Assess
    const put = dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.TableName).toBe(DELIVERY_TABLE);
    expect(put?.Item?.id?.S).toMatch(new RegExp(`^email#${EMAIL_TOPIC}#`));
    expect(put?.Item?.status?.S).toBe("INPROGRESS");
    // The in-progress record expires with the invocation (10 s left in the fake context), not after the TTL.
    expect(Number(put?.Item?.in_progress_expiration?.N)).toBeLessThanOrEqual(Date.now() + 10_000);
    const update = dynamodb.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(update?.Key).toEqual(put?.Item && { id: put.Item.id });
    expect(update?.ExpressionAttributeValues?.[":status"]).toEqual({ S: "COMPLETED" });
    const expiry = Number(update?.ExpressionAttributeValues?.[":expiry"]?.N);
    expect(expiry - before).toBeGreaterThanOrEqual(24 * 3600);
    expect(expiry - before).toBeLessThanOrEqual(24 * 3600 + 5);
  });

  it("publishes nothing for a re-send the delivery table says was delivered", async () => {
    // Prepare
    vi.stubEnv("EMAIL_TOPIC_ARN", EMAIL_TOPIC);
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    dynamodb.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: "The conditional request failed",
        $metadata: {},
        Item: {
          id: { S: "email#x" },
          status: { S: "COMPLETED" },
          expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
        },
      }),
    );
    const { handler } = await import("../../handlers/notify-email");

    // Act
    const outcome = await handler(snsEventOf(JSON.stringify(CASES.completed)), context);

    // Assess
    expect(outcome).toEqual({ delivered: 0, skipped: 0, duplicates: 1 });
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
  });

  it("fails at cold start, naming the missing variable", async () => {
    // Prepare
    vi.stubEnv("EMAIL_TOPIC_ARN", "");

    // Act
    const loading = import("../../handlers/notify-email");

    // Assess
    // Module registry was reset, so the error class is a fresh copy: match by name.
    await expect(loading).rejects.toMatchObject({ name: "ConfigurationError" });
    await expect(loading).rejects.toThrow("EMAIL_TOPIC_ARN is required");
  });
});

describe("notify-chat handler", () => {
  it("is wired from its environment at cold start, account aliases included", async () => {
    // Prepare
    const chatTopic = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-chat";
    vi.stubEnv("CHAT_TOPIC_ARN", chatTopic);
    vi.stubEnv("ACCOUNT_ALIASES", "123456789012:prod");
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const { handler } = await import("../../handlers/notify-chat");

    // Act
    const outcome = await handler(snsEventOf(JSON.stringify(CASES.completed)), context);

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(chatTopic);
    expect(JSON.parse(input?.Message ?? "{}").content.description).toContain("**Account** prod (123456789012)");
  });
});

describe("notify-email handler with EMAIL_ROUTES", () => {
  it("publishes every event to the email topic, and to a code-filtered route's topic only what its filter matches", async () => {
    // Prepare
    const prodTopic = "arn:aws:sns:us-east-1:123456789012:bjn-EmailRouteProdMailTopic-C3";
    vi.stubEnv("EMAIL_TOPIC_ARN", EMAIL_TOPIC);
    vi.stubEnv(
      "EMAIL_ROUTES",
      JSON.stringify([{ name: "prod-mail", target: prodTopic, filter: { statuses: ["Failed"], jobNames: ["*"] } }]),
    );
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const { handler } = await import("../../handlers/notify-email");

    // Act
    await handler(snsEventOf(JSON.stringify(CASES.failed)), context);
    const afterFailed = sns.commandCalls(PublishCommand).map((call) => call.args[0].input.TopicArn);
    sns.resetHistory();
    await handler(snsEventOf(JSON.stringify(CASES.completed)), context);
    const afterCompleted = sns.commandCalls(PublishCommand).map((call) => call.args[0].input.TopicArn);

    // Assess
    expect(afterFailed).toEqual([EMAIL_TOPIC, prodTopic]);
    expect(afterCompleted).toEqual([EMAIL_TOPIC]);
    // The email topic keeps its delivery records under the same key as without routes.
    const ids = dynamodb.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.id?.S);
    expect(ids.some((id) => id?.startsWith(`email#${EMAIL_TOPIC}#`))).toBe(true);
    expect(ids.some((id) => id?.startsWith(`email#${prodTopic}#`))).toBe(true);
  });
});

describe("notify-chat handler with CHAT_ROUTES", () => {
  const OPS = "arn:aws:sns:us-east-1:123456789012:bjn-ChatRouteOpsTopic-A1";
  const TEAM = "arn:aws:sns:us-east-1:123456789012:bjn-ChatRouteTeamTopic-B2";

  it("publishes each event to every route topic whose filter matches it, never to the chat topic", async () => {
    // Prepare
    vi.stubEnv("CHAT_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-chat");
    vi.stubEnv(
      "CHAT_ROUTES",
      JSON.stringify([
        { name: "ops", target: OPS, filter: { statuses: ["Failed"] } },
        { name: "team", target: TEAM, filter: { statuses: ["Failed", "Completed"] } },
      ]),
    );
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    const { handler } = await import("../../handlers/notify-chat");

    // Act
    await handler(snsEventOf(JSON.stringify(CASES.failed)), context);
    const afterFailed = sns.commandCalls(PublishCommand).map((call) => call.args[0].input.TopicArn);
    sns.resetHistory();
    await handler(snsEventOf(JSON.stringify(CASES.completed)), context);
    const afterCompleted = sns.commandCalls(PublishCommand).map((call) => call.args[0].input.TopicArn);
    sns.resetHistory();
    await handler(snsEventOf(JSON.stringify(CASES.expired)), context);

    // Assess
    expect(afterFailed).toEqual([OPS, TEAM]);
    expect(afterCompleted).toEqual([TEAM]);
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
    // One delivery record per route topic.
    const ids = dynamodb.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.id?.S);
    expect(ids.some((id) => id?.startsWith(`chat#${OPS}#`))).toBe(true);
    expect(ids.some((id) => id?.startsWith(`chat#${TEAM}#`))).toBe(true);
  });
});

describe("notify-webhook handler", () => {
  it("posts the Teams card with the account's alias from ACCOUNT_ALIASES", async () => {
    // Prepare
    vi.stubEnv("WEBHOOK_FORMAT", "teams");
    vi.stubEnv("WEBHOOK_URL_PARAMETER", "/bedrock-job-notifier/teams-url");
    vi.stubEnv("ACCOUNT_ALIASES", "123456789012:prod");
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Type: "SecureString", Value: "https://prod-00.westus.logic.azure.com/workflows/abc" },
    });
    const posted: string[] = [];
    vi.stubGlobal("fetch", async (_url: string, init?: RequestInit) => {
      posted.push(String(init?.body));
      return new Response("ok", { status: 200 });
    });
    const { handler } = await import("../../handlers/notify-webhook");

    // Act
    const outcome = await handler(snsEventOf(JSON.stringify(CASES.completed)), context);

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(JSON.parse(posted[0] ?? "{}").attachments[0].content.body[2].text).toBe("prod (123456789012) · us-east-1");
  });
});

describe("notify-eventbridge handler", () => {
  const AUDIT_BUS = "arn:aws:events:us-east-1:333333333333:event-bus/audit";
  const ROUTES = [
    { name: "pipelines", target: "bedrock-jobs", filter: { eventTypes: ["transition"], statuses: ["Completed"] } },
    { name: "audit", target: AUDIT_BUS, filter: {} },
  ];
  const busesPut = () => eventbridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.[0]);

  it("puts on the one EVENT_BUS_NAME bus without routes", async () => {
    // Prepare
    vi.stubEnv("EVENT_BUS_NAME", "bedrock-jobs");
    eventbridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
    const { handler } = await import("../../handlers/notify-eventbridge");

    // Act
    const outcome = await handler(snsEventOf(JSON.stringify(CASES.failed)), context);

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(busesPut().map((entry) => entry?.EventBusName)).toEqual(["bedrock-jobs"]);
  });

  it("with EVENTBRIDGE_ROUTES, puts each event on every bus whose filter matches it, and on no other", async () => {
    // Prepare
    vi.stubEnv("EVENTBRIDGE_ROUTES", JSON.stringify(ROUTES));
    eventbridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
    const { handler } = await import("../../handlers/notify-eventbridge");

    // Act
    await handler(snsEventOf(JSON.stringify(CASES.completed)), context);
    const afterCompleted = busesPut().map((entry) => entry?.EventBusName);
    eventbridge.resetHistory();
    await handler(snsEventOf(JSON.stringify(CASES.failed)), context);
    const afterFailed = busesPut().map((entry) => entry?.EventBusName);

    // Assess
    expect(afterCompleted).toEqual(["bedrock-jobs", AUDIT_BUS]);
    expect(afterFailed).toEqual([AUDIT_BUS]);
    expect(busesPut()[0]?.DetailType).toBe("Bedrock Batch Job Status Change");
  });

  it("tries every matching bus when one refuses, then fails the invocation so Lambda retries", async () => {
    // Prepare
    vi.stubEnv("EVENTBRIDGE_ROUTES", JSON.stringify(ROUTES));
    eventbridge
      .on(PutEventsCommand, { Entries: [expect.objectContaining({ EventBusName: "bedrock-jobs" })] })
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "try again" }] })
      .on(PutEventsCommand, { Entries: [expect.objectContaining({ EventBusName: AUDIT_BUS })] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-2" }] });
    const { handler } = await import("../../handlers/notify-eventbridge");

    // Act
    const invocation = handler(snsEventOf(JSON.stringify(CASES.completed)), context);

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: "ChannelDeliveryError" });
    expect(busesPut().map((entry) => entry?.EventBusName)).toEqual(["bedrock-jobs", AUDIT_BUS]);
  });
});
