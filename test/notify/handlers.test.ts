import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CASES } from "../domain/render/fixtures";
import { snsEventOf } from "../support/factories";

const EMAIL_TOPIC = "arn:aws:sns:us-east-1:123456789012:bedrock-job-notifier-email";

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

beforeEach(() => {
  vi.resetModules();
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("POWERTOOLS_LOG_LEVEL", "SILENT");
});

afterEach(() => {
  vi.unstubAllEnvs();
  sns.reset();
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
    expect(outcome).toEqual({ delivered: 1, skipped: 0 });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.TopicArn).toBe(EMAIL_TOPIC);
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
