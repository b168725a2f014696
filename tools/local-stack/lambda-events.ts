import { randomUUID } from "node:crypto";
import type { Context, SNSEvent, SNSEventRecord, SQSEvent, SQSRecord } from "aws-lambda";

/**
 * What Lambda hands the real handlers when they run outside Lambda (demo, chaos, benchmark, tests): a context and
 * the events each function receives, each built here once.
 */

/** A Lambda context whose remaining time counts down from `timeoutMs`. */
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

export interface BedrockEventOptions {
  /** The job; absent, the event names no job at all (a malformed event). */
  jobArn?: string;
  status?: string;
  /** Replaces `resources` (by default the job ARN). */
  resources?: unknown;
  /** Merged into `detail`. */
  detail?: Record<string, unknown>;
}

/**
 * Bedrock's "Batch Inference Job State Change" event as EventBridge delivers it to the event function, shaped as
 * the sample in the Bedrock documentation (its times are not ISO: "Wed Aug 28 22:58:30 UTC 2024").
 */
export function bedrockJobStateChange(options: BedrockEventOptions = {}) {
  const [, , , region = "us-east-1", account = "123456789012"] = options.jobArn?.split(":") ?? [];
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Batch Inference Job State Change",
    source: "aws.bedrock",
    account,
    time: "Wed Aug 28 22:58:30 UTC 2024",
    region,
    resources: options.resources ?? (options.jobArn ? [options.jobArn] : []),
    detail: {
      version: "0.0",
      accountId: account,
      ...(options.jobArn ? { batchJobArn: options.jobArn } : {}),
      status: options.status ?? "Completed",
      failureMessage: "",
      creationTime: "Aug 28, 2024, 10:47:53 PM",
      ...options.detail,
    },
  };
}

/** An SNS → Lambda event as a topic delivers it, one record per body. */
export function snsEventOf(...bodies: string[]): SNSEvent {
  return {
    Records: bodies.map(
      (body, index): SNSEventRecord => ({
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: "arn:aws:sns:us-east-1:123456789012:events:sub",
        Sns: {
          Type: "Notification",
          MessageId: `message-${index}`,
          TopicArn: "arn:aws:sns:us-east-1:123456789012:events",
          Subject: "subject",
          Message: body,
          Timestamp: "2024-08-29T01:15:01.000Z",
          SignatureVersion: "1",
          Signature: "EXAMPLE",
          SigningCertUrl: "https://example.invalid/cert.pem",
          UnsubscribeUrl: "https://example.invalid/unsubscribe",
          MessageAttributes: {},
        },
      }),
    ),
  };
}

/** An SQS → Lambda event as an event source mapping delivers it, one record per body. */
export function sqsEventOf(bodies: readonly string[], queueArn = "arn:aws:sqs:us-east-1:123456789012:local"): SQSEvent {
  return {
    Records: bodies.map(
      (body): SQSRecord => ({
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: String(Date.now()),
          SenderId: "local",
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: queueArn,
        awsRegion: queueArn.split(":")[3] ?? "us-east-1",
      }),
    ),
  };
}

/** Bedrock events as the event queue delivers them to onBedrockEvents: one SQS record per EventBridge event. */
export function bedrockEventsBatch(...events: unknown[]): SQSEvent {
  return sqsEventOf(events.map((event) => JSON.stringify(event)));
}
