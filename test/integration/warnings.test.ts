import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { JobWarningEvent } from "../../src/domain/warning-event";
import { type JobStatus, ManualClock, type SeedJob } from "../../tools/bedrock-emulator/src";
import { loadPollHandler, type PollHandler } from "../../tools/local-stack/handlers";
import { lambdaContext, scheduledEvent } from "../../tools/local-stack/lambda-events";
import { type LocalStack, startLocalStack } from "../../tools/local-stack/stack";
import { captureOutput } from "../support/output";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Each kind twice, on either side of its default threshold (a few minutes' margin, as the poller reads real time),
 * plus a finished job that would warn on every count if it were open. The poll handler as deployed, against the
 * Bedrock emulator, dynalite and fauxqs.
 */
function seeds(now: number): Array<SeedJob & { expect?: string }> {
  const ago = (ms: number) => new Date(now - ms);
  const running = (
    name: string,
    sinceMs: number,
    extra: Partial<SeedJob> & { expect?: string },
  ): SeedJob & { expect?: string } => ({
    jobName: name,
    status: "InProgress" as JobStatus,
    submitTime: ago(sinceMs + 30 * MINUTE),
    lastModifiedTime: ago(sinceMs),
    ...extra,
  });
  return [
    {
      jobName: "stuck-submitted",
      status: "Submitted",
      submitTime: ago(65 * MINUTE),
      lastModifiedTime: ago(65 * MINUTE),
      expect: "StuckInStatus",
    },
    {
      jobName: "fresh-submitted",
      status: "Submitted",
      submitTime: ago(50 * MINUTE),
      lastModifiedTime: ago(50 * MINUTE),
    },
    // A 24-hour job warns at 6 h left (25% of its timeout): 5 h 50 min left, then 6 h 10 min left.
    {
      jobName: "expiring",
      status: "Scheduled",
      submitTime: ago(18 * HOUR + 10 * MINUTE),
      lastModifiedTime: ago(10 * MINUTE),
      timeoutDurationInHours: 24,
      expect: "ExpiryApproaching",
    },
    {
      jobName: "not-expiring-yet",
      status: "Scheduled",
      submitTime: ago(17 * HOUR + 50 * MINUTE),
      lastModifiedTime: ago(10 * MINUTE),
      timeoutDurationInHours: 24,
    },
    running("error-prone", 30 * MINUTE, {
      totalRecordCount: 10_000,
      processedRecordCount: 200,
      successRecordCount: 190,
      errorRecordCount: 10,
      expect: "HighErrorRate",
    }),
    running("few-errors", 30 * MINUTE, {
      totalRecordCount: 10_000,
      processedRecordCount: 200,
      successRecordCount: 191,
      errorRecordCount: 9,
    }),
    running("stalled", 2 * HOUR + 10 * MINUTE, {
      totalRecordCount: 500,
      processedRecordCount: 0,
      successRecordCount: 0,
      errorRecordCount: 0,
      expect: "NoProgress",
    }),
    running("warming-up", 110 * MINUTE, {
      totalRecordCount: 500,
      processedRecordCount: 0,
      successRecordCount: 0,
      errorRecordCount: 0,
    }),
    // 100 of 1,000 records in 2 h: 18 h more needed; one job times out in 16 h, the other in 20 h.
    running("too-slow", 2 * HOUR, {
      submitTime: ago(8 * HOUR),
      timeoutDurationInHours: 24,
      totalRecordCount: 1_000,
      processedRecordCount: 100,
      successRecordCount: 100,
      errorRecordCount: 0,
      expect: "MayNotFinish",
    }),
    running("slow-but-fine", 2 * HOUR, {
      submitTime: ago(4 * HOUR),
      timeoutDurationInHours: 24,
      totalRecordCount: 1_000,
      processedRecordCount: 100,
      successRecordCount: 100,
      errorRecordCount: 0,
    }),
    {
      jobName: "already-failed",
      status: "Failed",
      submitTime: ago(5 * HOUR),
      lastModifiedTime: ago(20 * MINUTE),
      endTime: ago(20 * MINUTE),
      message: "boom",
      totalRecordCount: 500,
      processedRecordCount: 0,
    },
  ];
}

describe("early warnings from the deployed poll handler, on the local peers", () => {
  let stack: LocalStack;
  let poll: PollHandler;
  const saved = { ...process.env };
  const expected = new Map<string, string>();

  const warnings = async (): Promise<Array<{ event: JobWarningEvent; attributes: Record<string, string> }>> =>
    (await stack.drain(stack.allEventsQueueUrl))
      .filter((message) => message.attributes.eventType === "JobWarning")
      .map((message) => ({ event: JSON.parse(message.body) as JobWarningEvent, attributes: message.attributes }));
  const run = () => captureOutput(() => poll(scheduledEvent(), lambdaContext()));

  beforeAll(async () => {
    const now = Date.now();
    stack = await startLocalStack({ clock: new ManualClock(new Date(now - MINUTE)) });
    Object.assign(process.env, stack.env, { POWERTOOLS_METRICS_DISABLED: "true", POWERTOOLS_LOG_LEVEL: "ERROR" });
    vi.resetModules();
    poll = await loadPollHandler();
    for (const { expect: kind, ...job } of seeds(now)) {
      stack.bedrock.addJob(job);
      if (kind) expected.set(job.jobName as string, kind);
    }
  });

  afterAll(async () => {
    process.env = { ...saved };
    await stack?.stop();
  });

  it("warns nothing at the baseline, then each kind once at its threshold and not below it, and never a finished job", async () => {
    // Act
    const baseline = await run();
    const atBaseline = await warnings();
    const first = await run();
    const sent = await warnings();
    const again = await run();
    const sentAgain = await warnings();

    // Assess
    expect(baseline.result?.outcome).toBe("baseline");
    expect(atBaseline).toEqual([]);
    expect(first.result).toMatchObject({
      warnings: expected.size,
      warningsPublished: expected.size,
      warningsCommitted: expected.size,
    });
    expect(new Map(sent.map(({ event }) => [event.job.jobName, event.warning.kind]))).toEqual(expected);
    for (const { event, attributes } of sent) {
      expect(attributes).toMatchObject({
        eventType: "JobWarning",
        warningKind: event.warning.kind,
        severity: "warning",
      });
      expect(attributes).not.toHaveProperty("status");
    }
    expect(again.result).toMatchObject({ outcome: "quiet", warnings: 0 });
    expect(sentAgain).toEqual([]);
  });

  it("re-sends a warning once, with the same eventId, when the poll died between SNS accepting it and recording it", async () => {
    // Prepare: a new job past its threshold, and a DynamoDB that loses the poll right after the publish.
    const now = Date.now();
    stack.bedrock.addJob({
      jobName: "queued-too-long",
      status: "Submitted",
      submitTime: new Date(now - 70 * MINUTE),
      lastModifiedTime: new Date(now - 70 * MINUTE),
    });
    await run(); // its first sighting: a transition (JobDiscovered); warnings start from its row
    await stack.drain(stack.allEventsQueueUrl);
    stack.dynamodbProxy.setHook((request) =>
      request.operation === "UpdateItem" && request.body.toString("utf8").includes("warnedStuckInStatus")
        ? {
            kind: "error",
            status: 500,
            body: JSON.stringify({
              __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
              message: "injected",
            }),
          }
        : { kind: "forward" },
    );

    // Act
    const crashed = await run();
    const firstSend = await warnings();
    stack.dynamodbProxy.setHook(undefined);
    const retried = await run();
    const reSend = await warnings();
    const after = await run();
    const nothingMore = await warnings();

    // Assess
    expect(crashed.error ?? crashed.result).toBeDefined();
    expect(firstSend.map(({ event }) => event.job.jobName)).toEqual(["queued-too-long"]);
    expect(reSend.map(({ event }) => event.eventId)).toEqual(firstSend.map(({ event }) => event.eventId));
    expect(retried.result).toMatchObject({ warningsCommitted: 1 });
    expect(after.result).toMatchObject({ outcome: "quiet" });
    expect(nothingMore).toEqual([]);
  });
});
