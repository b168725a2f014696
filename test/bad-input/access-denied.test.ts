import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PollHandler } from "../../tools/local-stack/handlers";
import { type BedrockEventHandler, loadBedrockEventHandler, loadPollHandler } from "../../tools/local-stack/handlers";
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
  let onBedrockEvent: BedrockEventHandler;

  beforeAll(async () => {
    bad = await startBadInputStack({ POWERTOOLS_METRICS_NAMESPACE: "BedrockJobNotifier" });
    // Metrics on: the BedrockAccessDenied metric is what the alarm watches.
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    poll = await loadPollHandler();
    onBedrockEvent = await loadBedrockEventHandler();
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

  it("fails the Bedrock event path the same way when Get is refused", async () => {
    // Prepare
    bad.bedrockProxy.setHook(() => denied("GetModelInvocationJob"));
    const arn = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdef123456";
    const event = bedrockJobStateChange({ jobArn: arn });

    // Act
    const { error, text } = await captureOutput(() => onBedrockEvent(event, lambdaContext()));

    // Assess
    expect(error).toMatchObject({ name: "BedrockAccessDeniedError" });
    expect((error as Error).message).toContain("bedrock:GetModelInvocationJob");
    expect(metric(text, "BedrockAccessDenied")).toEqual([1]);
  });
});
