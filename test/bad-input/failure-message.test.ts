import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SNS_MAX_MESSAGE_BYTES } from "../../src/domain/message";
import type { PollHandler } from "../../tools/local-stack/handlers";
import { type BedrockEventsHandler, loadBedrockEventsHandler, loadPollHandler } from "../../tools/local-stack/handlers";
import { bedrockEventsBatch } from "../../tools/local-stack/lambda-events";
import { type BadInputStack, forJob, pollWith, startBadInputStack } from "../support/bad-input-stack";
import { bedrockJobStateChange, lambdaContext } from "../support/factories";
import { captureOutput, jsonLines } from "../support/output";

describe("a job's failure message: sensitive, and possibly huge", () => {
  let bad: BadInputStack;
  let poll: PollHandler;
  let onBedrockEvents: BedrockEventsHandler;

  beforeAll(async () => {
    // DEBUG: the most the handlers ever log, so "never logged" holds at every level.
    bad = await startBadInputStack({ POWERTOOLS_LOG_LEVEL: "DEBUG" });
    poll = await loadPollHandler();
    onBedrockEvents = await loadBedrockEventsHandler();
    await captureOutput(() => pollWith(poll));
  });

  beforeEach(async () => {
    bad.rewriteSummaries(undefined);
    await bad.events();
  });

  afterAll(async () => {
    await bad?.stop();
  });

  it("publishes the failure message to the topic and never writes it to the poll's logs", async () => {
    // Prepare
    const marker = "s3://secret-bucket/customer-7f3a9c/records.jsonl";
    const arn = bad.addJob("fails-with-a-secret");
    bad.setState(arn, { status: "Failed", message: `Validation failed for input file ${marker}: line 3.` });

    // Act
    const { error, text } = await captureOutput(() => pollWith(poll));

    // Assess
    expect(error).toBeUndefined();
    expect(jsonLines(text).length).toBeGreaterThan(0);
    expect(text).not.toContain(marker);
    const [event] = await bad.events();
    expect(event?.job.message).toContain(marker);
  });

  it("never writes the failure message to the logs of the Bedrock event path either", async () => {
    // Prepare
    const marker = "arn:aws:iam::123456789012:role/secret-role-b71e";
    const arn = bad.addJob("fails-seen-by-event");
    bad.setState(arn, { status: "Failed", message: `Amazon Bedrock could not assume ${marker}.` });

    // Act
    const { error, text } = await captureOutput(() =>
      onBedrockEvents(bedrockEventsBatch(bedrockJobStateChange({ jobArn: arn, status: "Failed" })), lambdaContext()),
    );

    // Assess
    expect(error).toBeUndefined();
    expect(jsonLines(text).length).toBeGreaterThan(0);
    expect(text).not.toContain(marker);
    const [event] = await bad.events();
    expect(event?.job.message).toContain(marker);
  });

  it("delivers an event whose message is over 256 KB truncated and flagged, never dropped", async () => {
    // Prepare: the service caps messages at 2,048 characters, so only a misbehaving Bedrock can send this.
    const huge = `The job failed. ${"record 17 is not valid JSON; ".repeat(10_500)}`;
    expect(Buffer.byteLength(huge)).toBeGreaterThan(300_000);
    const arn = bad.addJob("fails-at-length");
    bad.setState(arn, { status: "Failed", message: "short, replaced on the wire" });
    bad.rewriteSummaries(forJob(arn, (summary) => ({ ...summary, message: huge })));

    // Act
    const { error, text } = await captureOutput(() => pollWith(poll));

    // Assess
    expect(error).toBeUndefined();
    expect(text).not.toContain("record 17 is not valid JSON");
    const delivered = await bad.stack.drain(bad.stack.allEventsQueueUrl);
    expect(delivered).toHaveLength(1);
    expect(Buffer.byteLength(delivered[0]?.body ?? "")).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    const event = JSON.parse(delivered[0]?.body ?? "{}");
    expect(event.job).toMatchObject({ jobArn: arn, status: "Failed", messageTruncated: true });
    expect(event.job.message.startsWith("The job failed. record 17 is not valid JSON;")).toBe(true);
    expect(event.job.message.endsWith("…[truncated]")).toBe(true);
  });
});
