import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** A Lambda context for running the real handlers outside Lambda (demo, tests, benchmark). */
export function lambdaContext(timeoutMs = 60_000, functionName = "bedrock-job-notifier-local-poll"): Context {
  const startedAt = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - startedAt)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The scheduled event EventBridge sends the poll function. */
export function scheduledEvent(time: Date = new Date()) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "123456789012",
    time: time.toISOString(),
    region: "us-east-1",
    resources: ["arn:aws:events:us-east-1:123456789012:rule/bedrock-job-notifier-local-poll"],
    detail: {},
  };
}
