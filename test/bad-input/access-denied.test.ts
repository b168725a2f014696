import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PollHandler } from "../../tools/local-stack/handlers";
import { type BedrockEventsHandler, loadBedrockEventsHandler, loadPollHandler } from "../../tools/local-stack/handlers";
import { bedrockEventsBatch } from "../../tools/local-stack/lambda-events";
import { type BadInputStack, pollWith, startBadInputStack } from "../support/bad-input-stack";
import { bedrockJobStateChange, lambdaContext } from "../support/factories";
import { captureOutput, jsonLines } from "../support/output";

/** What Bedrock answers a role without the permission: 403, the error type in x-amzn-errortype. */
const denied = (action: string) => ({
  kind: "error" as const,
  status: 403,
  headers: {
    "content-type": "application/json",
    "x-amzn-errortype": "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/",
  },
  body: JSON.stringify({
    message: `User: arn:aws:sts::123456789012:assumed-role/poll/fn is not authorized to perform: bedrock:${action}`,
  }),
});

/** The value of one metric in the embedded-metric-format lines of captured output. */
const metric = (text: string, name: string): unknown[] =>
  jsonLines(text)
    .filter((line) => "_aws" in line && name in line)
    .map((line) => line[name]);

describe("a role Bedrock refuses", () => {
  let bad: BadInputStack;
  let poll: PollHandler;
  let onBedrockEvents: BedrockEventsHandler;

  beforeAll(async () => {
    bad = await startBadInputStack({ POWERTOOLS_METRICS_NAMESPACE: "BedrockJobNotifier" });
    // Metrics on: the BedrockAccessDenied metric is what the alarm watches.
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    poll = await loadPollHandler();
    onBedrockEvents = await loadBedrockEventsHandler();
  });

  afterAll(async () => {
    await bad?.stop();
  });

  it("fails the poll with an actionable BedrockAccessDeniedError and emits the BedrockAccessDenied metric", async () => {
    // Prepare
    bad.bedrockProxy.setHook(() => denied("ListModelInvocationJobs"));

    // Act
    const { error, text } = await captureOutput(() => pollWith(poll));

    // Assess
    expect(error).toMatchObject({ name: "BedrockAccessDeniedError" });
    expect((error as Error).message).toContain("Bedrock denied ListModelInvocationJobs");
    expect((error as Error).message).toContain("bedrock:ListModelInvocationJobs");
    expect(metric(text, "BedrockAccessDenied")).toEqual([1]);
  });

  it("keeps the event for a retry when Get is refused, and emits BedrockAccessDenied and the scope's ScopeFailed", async () => {
    // Prepare
    bad.bedrockProxy.setHook(() => denied("GetModelInvocationJob"));
    const arn = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdef123456";
    const batch = bedrockEventsBatch(bedrockJobStateChange({ jobArn: arn }));

    // Act
    const { result, error, text } = await captureOutput(() => onBedrockEvents(batch, lambdaContext()));

    // Assess: the event comes back (and reaches the DLQ and its alarm if it keeps failing); the alarms' metrics fire.
    expect(error).toBeUndefined();
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: batch.Records[0]?.messageId }] });
    const failure = jsonLines(text).find((line) => line.message === "bedrock events failed");
    expect(failure).toMatchObject({ scope: "123456789012/us-east-1", error: { name: "BedrockAccessDeniedError" } });
    expect(JSON.stringify(failure)).toContain("bedrock:GetModelInvocationJob");
    expect(metric(text, "BedrockAccessDenied")).toEqual([1]);
    expect(metric(text, "ScopeFailed")).toEqual([1]);
  });
});
