import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DailyDigestEvent } from "../../src/domain/digest";
import { RENDER_FORMATS, renderFor } from "../../src/domain/render";
import { parseNotifierEvent } from "../../src/notify/parse-event";
import { ManualClock } from "../../tools/bedrock-emulator/src";
import { loadDigestHandler, loadPollHandler } from "../../tools/local-stack/handlers";
import { lambdaContext, scheduledEvent } from "../../tools/local-stack/lambda-events";
import { type LocalStack, startLocalStack } from "../../tools/local-stack/stack";
import { captureOutput } from "../support/output";

const HOUR = 3_600_000;

describe("the daily digest, on the local peers", () => {
  let stack: LocalStack;
  const saved = { ...process.env };
  const now = Date.now();
  const ago = (hours: number) => new Date(now - hours * HOUR);

  beforeAll(async () => {
    stack = await startLocalStack({ clock: new ManualClock(new Date(now)) });
    Object.assign(process.env, stack.env, { POWERTOOLS_METRICS_DISABLED: "true", POWERTOOLS_LOG_LEVEL: "ERROR" });
    vi.resetModules();
    // A seeded 24 hours: two completions, two failures of one cause (different numbers and files), one of another,
    // an expiry, a completion two days ago (outside the period), and two jobs still open.
    const finished = (jobName: string, status: string, hoursAgo: number, extra: Record<string, unknown> = {}) =>
      stack.bedrock.addJob({
        jobName,
        status: status as never,
        submitTime: ago(hoursAgo + 6),
        lastModifiedTime: ago(hoursAgo),
        endTime: ago(hoursAgo),
        ...extra,
      });
    finished("summaries", "Completed", 3, {
      totalRecordCount: 100,
      processedRecordCount: 100,
      successRecordCount: 100,
      errorRecordCount: 0,
    });
    finished("embeddings", "Completed", 20, {
      modelId: "amazon.titan-embed-text-v2:0",
      totalRecordCount: 40,
      processedRecordCount: 40,
      successRecordCount: 38,
      errorRecordCount: 2,
    });
    finished("reviews-a", "Failed", 5, {
      message: "Validation failed for s3://in/a.jsonl: record 12 is missing modelInput.",
    });
    finished("reviews-b", "Failed", 7, {
      message: "Validation failed for s3://in/b.jsonl: record 3,004 is missing modelInput.",
    });
    finished("access", "Failed", 9, {
      message: "Amazon Bedrock could not assume arn:aws:iam::123456789012:role/batch.",
    });
    finished("backfill", "Expired", 2);
    finished("old-news", "Completed", 48);
    stack.bedrock.addJob({
      jobName: "long-run",
      status: "InProgress",
      submitTime: ago(30),
      totalRecordCount: 1000,
      processedRecordCount: 250,
      successRecordCount: 250,
      errorRecordCount: 0,
    });
    stack.bedrock.addJob({ jobName: "queued", status: "Scheduled", submitTime: ago(4) });
    await captureOutput(async () => (await loadPollHandler())(scheduledEvent(), lambdaContext()));
    await stack.drain(stack.allEventsQueueUrl);
  });

  afterAll(async () => {
    process.env = { ...saved };
    await stack?.stop();
  });

  it("publishes one DailyDigest of the seeded 24 hours, and its listing is the scope's deep reconciliation for the day", async () => {
    // Prepare
    const digest = await loadDigestHandler();
    stack.bedrock.resetStats();

    // Act
    const run = await captureOutput(() => digest(scheduledEvent(), lambdaContext(900_000, "local-digest")));
    const published = await stack.drain(stack.allEventsQueueUrl);
    const listingsForDigest = stack.bedrock.stats().calls.ListModelInvocationJobs ?? 0;
    stack.bedrock.resetStats();
    const poll = await captureOutput(async () => (await loadPollHandler())(scheduledEvent(), lambdaContext()));

    // Assess
    expect(run.error).toBeUndefined();
    const digests = published.filter((message) => message.attributes.eventType === "DailyDigest");
    expect(digests).toHaveLength(1);
    expect(digests[0]?.attributes).toEqual({ eventType: "DailyDigest", severity: "error" });
    const event = JSON.parse(digests[0]?.body ?? "{}") as DailyDigestEvent;
    // The contract: valid against the published schema, and taken by every notify function's parser and renderer.
    const schema = JSON.parse(readFileSync(join(__dirname, "../../schema/job-status-event.v1.json"), "utf8"));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(parseNotifierEvent(digests[0]?.body ?? "")).toEqual(event);
    for (const format of RENDER_FORMATS.filter((candidate) => candidate !== "json"))
      expect(renderFor(format, event), format).toContain("Bedrock batch jobs — daily digest");
    expect(event.totals).toMatchObject({
      scopes: 1,
      finished: { Completed: 2, Failed: 3, Expired: 1 },
      recordsProcessed: 140,
      recordsFailed: 2,
      open: 2,
    });
    const [scope] = event.scopes;
    expect(scope?.failureReasons.map(({ reason, count }) => [reason, count])).toEqual([
      ["Validation failed for <uri>: record <n> is missing modelInput.", 2],
      ["Amazon Bedrock could not assume <arn>.", 1],
    ]);
    expect(scope?.expired.map((job) => job.jobName)).toEqual(["backfill"]);
    expect(scope?.open.map((job) => [job.jobName, job.status])).toEqual([
      ["long-run", "InProgress"],
      ["queued", "Scheduled"],
    ]);
    expect(scope?.models.map((model) => model.modelId).sort()).toEqual(
      ["amazon.titan-embed-text-v2:0", "anthropic.claude-3-haiku-20240307-v1:0"].sort(),
    );
    // The digest listed the lifetime window (the deep reconciliation); the poll after it does not list it again.
    expect(listingsForDigest).toBeGreaterThan(6);
    expect(poll.result).toMatchObject({ deepReconciled: false });
    expect(stack.bedrock.stats().calls.ListModelInvocationJobs ?? 0).toBeLessThanOrEqual(6);
  });
});
