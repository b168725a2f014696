import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PollHandler } from "../../tools/local-stack/handlers";
import { type BedrockEventsHandler, loadBedrockEventsHandler, loadPollHandler } from "../../tools/local-stack/handlers";
import { bedrockEventsBatch, sqsEventOf } from "../../tools/local-stack/lambda-events";
import { type BadInputStack, pollWith, startBadInputStack } from "../support/bad-input-stack";
import { bedrockJobStateChange, lambdaContext } from "../support/factories";
import { captureOutput, skips } from "../support/output";

/** The event with `detail` merged in and `resources` replaced (by default it names no job anywhere). */
const stateChange = (detail: Record<string, unknown>, resources: unknown = []) =>
  bedrockJobStateChange({ detail, resources });

describe("Bedrock's own EventBridge events, malformed or not", () => {
  let bad: BadInputStack;
  let poll: PollHandler;
  let onBedrockEvents: BedrockEventsHandler;
  /** One event, queued as the EventBridge rule queues it, in a batch of its own. */
  const handle = (event: unknown) => captureOutput(() => onBedrockEvents(bedrockEventsBatch(event), lambdaContext()));
  const NOTHING_TO_RETRY = { batchItemFailures: [] };

  beforeAll(async () => {
    bad = await startBadInputStack();
    poll = await loadPollHandler();
    onBedrockEvents = await loadBedrockEventsHandler();
    await pollWith(poll); // the first run: a baseline of nothing
  });

  beforeEach(async () => {
    await bad.events();
  });

  afterAll(async () => {
    await bad?.stop();
  });

  it("skips and logs an event that is not an object, or a message that is not JSON, without a retry", async () => {
    // Act
    const notAnObject = await handle("Batch Inference Job State Change");
    const notJson = await captureOutput(() => onBedrockEvents(sqsEventOf(["{not json"]), lambdaContext()));

    // Assess
    for (const { result, error, text } of [notAnObject, notJson]) {
      expect(error).toBeUndefined();
      expect(result).toEqual(NOTHING_TO_RETRY);
      expect(skips(text)).toEqual([
        expect.objectContaining({ kind: "bedrock-event-malformed", reason: "event is not an object" }),
      ]);
    }
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

  it.each([
    ["another account", "arn:aws:bedrock:us-east-1:210987654321:model-invocation-job/abcdef123456"],
    ["another region", "arn:aws:bedrock:eu-west-1:123456789012:model-invocation-job/abcdef123456"],
    ["another partition", "arn:aws-cn:bedrock:us-east-1:123456789012:model-invocation-job/abcdef123456"],
  ])("drops and counts an event about a job of %s, without asking Bedrock", async (_case, arn) => {
    // Prepare
    const before = { ...bad.bedrockProxy.counts() };

    // Act
    const { result, error, text } = await handle(bedrockJobStateChange({ jobArn: arn }));

    // Assess: no Get (Bedrock would refuse it and raise the access-denied alarm), one counted skip.
    expect(error).toBeUndefined();
    expect(result).toEqual(NOTHING_TO_RETRY);
    expect(bad.bedrockProxy.counts()).toEqual(before);
    expect(skips(text)).toEqual([
      expect.objectContaining({ kind: "bedrock-event-foreign", jobArn: arn, reason: "not a scope of this estate" }),
    ]);
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
    expect(fast.result).toEqual(NOTHING_TO_RETRY);
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
    expect(late.result).toEqual(NOTHING_TO_RETRY);
    expect(await bad.events()).toEqual([]);
  });
});
