import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lambdaContext } from "../../tools/local-stack/lambda-events";
import { type BadInputStack, captureOutput, type PollHandler, pollWith, skips, startBadInputStack } from "./support";

type EventHandler = (event: unknown, context: unknown) => Promise<unknown>;

const stateChange = (detail: Record<string, unknown>, resources: unknown = []) => ({
  version: "0",
  id: "a1b2c3d4",
  "detail-type": "Batch Inference Job State Change",
  source: "aws.bedrock",
  account: "123456789012",
  time: "Wed Aug 28 22:58:30 UTC 2024",
  region: "us-east-1",
  resources,
  detail: {
    version: "0.0",
    status: "Completed",
    failureMessage: "",
    creationTime: "Aug 28, 2024, 10:47:53 PM",
    ...detail,
  },
});

describe("Bedrock's own EventBridge events, malformed or not", () => {
  let bad: BadInputStack;
  let poll: PollHandler;
  let onBedrockEvent: EventHandler;
  const handle = (event: unknown) => captureOutput(() => onBedrockEvent(event, lambdaContext()));

  beforeAll(async () => {
    bad = await startBadInputStack();
    ({ handler: poll } = (await import("../../handlers/poll")) as unknown as { handler: PollHandler });
    ({ handler: onBedrockEvent } = (await import("../../handlers/on-bedrock-event")) as unknown as {
      handler: EventHandler;
    });
    await pollWith(poll); // the first run: a baseline of nothing
  });

  beforeEach(async () => {
    await bad.events();
  });

  afterAll(async () => {
    await bad?.stop();
  });

  it("skips and logs an event that is not an object, without throwing", async () => {
    // Act
    const { result, error, text } = await handle("Batch Inference Job State Change");

    // Assess
    expect(error).toBeUndefined();
    expect(result).toBeUndefined();
    expect(skips(text)).toEqual([
      expect.objectContaining({ kind: "bedrock-event-malformed", reason: "event is not an object" }),
    ]);
  });

  it("skips and logs an event from another source or of another type", async () => {
    // Act
    const wrongSource = await handle({ ...stateChange({}), source: "aws.sagemaker" });
    const wrongType = await handle({ ...stateChange({}), "detail-type": "Model Customization Job State Change" });

    // Assess
    expect(skips(wrongSource.text)).toEqual([
      expect.objectContaining({ kind: "bedrock-event-malformed", reason: 'unexpected source "aws.sagemaker"' }),
    ]);
    expect(skips(wrongType.text)).toEqual([
      expect.objectContaining({
        kind: "bedrock-event-malformed",
        reason: 'unexpected detail-type "Model Customization Job State Change"',
      }),
    ]);
  });

  it("skips and logs an event without a usable job ARN, and calls Bedrock for nothing", async () => {
    // Prepare
    bad.bedrockProxy.reset();

    // Act
    const missing = await handle(stateChange({}));
    const malformed = await handle(stateChange({ batchJobArn: "arn:aws:bedrock:us-east-1:123:job/x" }, ["not-an-arn"]));

    // Assess
    for (const outcome of [missing, malformed]) {
      expect(outcome.error).toBeUndefined();
      expect(skips(outcome.text)).toEqual([
        expect.objectContaining({
          kind: "bedrock-event-malformed",
          reason: "no batch job ARN in detail.batchJobArn or resources",
        }),
      ]);
    }
    expect(bad.bedrockProxy.counts()).toEqual({});
  });

  it("delivers a change from the event path once, and the next poll sends nothing more", async () => {
    // Prepare
    const arn = bad.addJob("seen-by-event-first");
    await captureOutput(() => pollWith(poll));
    await bad.events();
    bad.setState(arn, { status: "Completed" });

    // Act
    const fast = await handle(stateChange({ batchJobArn: arn }, [arn]));
    const fromEvent = await bad.events();
    const next = await captureOutput(() => pollWith(poll));
    const fromPoll = await bad.events();

    // Assess
    expect(fast.result).toMatchObject({ outcome: "delivered", published: 1, committed: 1 });
    expect(fromEvent.map((event) => [event.previousStatus, event.job.status])).toEqual([["Submitted", "Completed"]]);
    expect(next.result?.outcome).toBe("quiet");
    expect(fromPoll).toEqual([]);
  });

  it("sends nothing from the event path for a change the poll already announced", async () => {
    // Prepare
    const arn = bad.addJob("seen-by-poll-first");
    await captureOutput(() => pollWith(poll));
    bad.setState(arn, { status: "Failed", message: "Validation failed." });
    await captureOutput(() => pollWith(poll));
    await bad.events();

    // Act
    const late = await handle(stateChange({ batchJobArn: arn, status: "Failed" }, [arn]));

    // Assess
    expect(late.result).toMatchObject({ outcome: "unchanged", published: 0 });
    expect(await bad.events()).toEqual([]);
  });
});
