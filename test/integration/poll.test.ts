import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BedrockClient, StopModelInvocationJobCommand } from "@aws-sdk/client-bedrock";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobStatusEvent } from "../../src/domain/event";
import type { NotifierEvent } from "../../src/domain/notifier-event";
import type { JobWarningEvent } from "../../src/domain/warning-event";
import { ManualClock, type SeedJob } from "../../tools/bedrock-emulator/src";
import { loadPollHandler } from "../../tools/local-stack/handlers";
import { LOCAL_CREDENTIALS, type LocalStack, startLocalStack } from "../../tools/local-stack/stack";
import { lambdaContext, scheduledEvent } from "../support/factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WRITE_OPERATIONS = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"];

const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
const validateEvent = ajv.compile(
  JSON.parse(readFileSync(join(__dirname, "..", "..", "schema", "job-status-event.v1.json"), "utf8")),
);

describe("the poll handler against the Bedrock emulator, dynalite and fauxqs", () => {
  let stack: LocalStack;
  let clock: ManualClock;
  let poll: () => Promise<{ outcome: string; transitions: number }>;
  let failuresQueue: string;
  const arnOf: Record<string, string> = {};

  const open = (name: string, job: Partial<SeedJob>): void => {
    const view = stack.bedrock.addJob({ jobName: name, submitTime: new Date(clock.now().getTime() - HOUR), ...job });
    arnOf[name] = view.jobArn as string;
  };

  const writes = (): number => {
    const counts = stack.dynamodbProxy.counts();
    return WRITE_OPERATIONS.reduce((sum, operation) => sum + (counts[operation] ?? 0), 0);
  };

  beforeAll(async () => {
    // Bedrock's clock stays behind the poller's, as real time would be by the next poll: no submit time in the future.
    clock = new ManualClock(new Date(Date.now() - 3 * HOUR));
    stack = await startLocalStack({ clock, seed: 7 });
    Object.assign(process.env, stack.env, {
      FIRST_RUN: "baseline",
      LOOKBACK_MINUTES: "60",
      POWERTOOLS_LOG_LEVEL: "ERROR",
      POWERTOOLS_METRICS_DISABLED: "true",
    });
    const handler = await loadPollHandler();
    poll = () => handler(scheduledEvent(), lambdaContext());
    failuresQueue = await stack.subscribeQueue("failures-only", { status: ["Failed", "Expired"] });

    // History: finished jobs from the last month, which a poll must not have to read.
    const now = clock.now().getTime();
    stack.bedrock.addJobs(
      Array.from({ length: 3_000 }, (_, index) => ({
        jobName: `history-${index}`,
        submitTime: new Date(now - 3 * DAY - index * 600_000),
        status: index % 7 === 0 ? ("Failed" as const) : ("Completed" as const),
      })),
    );
    open("nine-days-running", { status: "InProgress", submitTime: new Date(now - 9 * DAY) });
    open("will-complete", { status: "InProgress" });
    open("will-fail", { status: "InProgress" });
    open("will-expire", { status: "Scheduled" });
    open("will-partially-complete", { status: "InProgress" });
    open("will-be-stopped", { status: "InProgress" });
    open("moves-several-steps", { status: "Submitted" });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("records a baseline on the first poll and announces nothing", async () => {
    const report = await poll();

    expect(report.outcome).toBe("baseline");
    expect(await stack.drain(stack.allEventsQueueUrl)).toEqual([]);
  });

  it("announces every transition once, with its attributes, including a burst that needs pagination", async () => {
    clock.advance(5 * 60_000);
    const bedrock = stack.bedrock;
    bedrock.setJobState(arnOf["will-complete"] as string, {
      status: "Completed",
      total: 100,
      processed: 100,
      success: 100,
      error: 0,
    });
    bedrock.setJobState(arnOf["will-fail"] as string, {
      status: "Failed",
      message: "Validation failed: s3://input-bucket/records.jsonl line 17 is not valid JSON.",
    });
    bedrock.setJobState(arnOf["will-expire"] as string, { status: "Expired" });
    bedrock.setJobState(arnOf["will-partially-complete"] as string, {
      status: "PartiallyCompleted",
      total: 100,
      processed: 100,
      success: 90,
      error: 10,
    });
    const client = new BedrockClient({
      region: "us-east-1",
      endpoint: bedrock.endpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    await client.send(new StopModelInvocationJobCommand({ jobIdentifier: arnOf["will-be-stopped"] }));
    bedrock.setJobState(arnOf["will-be-stopped"] as string, { status: "Stopped" });
    bedrock.setJobState(arnOf["moves-several-steps"] as string, { status: "Validating" });
    bedrock.setJobState(arnOf["moves-several-steps"] as string, { status: "Scheduled" });
    bedrock.setJobState(arnOf["moves-several-steps"] as string, { status: "InProgress" });
    const burstStart = clock.now().getTime();
    const burst = bedrock.addJobs(
      Array.from({ length: 1_150 }, (_, index) => ({
        jobName: `burst-${index}`,
        submitTime: new Date(burstStart - 60_000 + index),
        status: "Submitted" as const,
      })),
    );
    expect(burst).toBe(1_150);
    client.destroy();

    const report = await poll();
    const delivered = await stack.drain(stack.allEventsQueueUrl);
    const published = delivered.map((message) => JSON.parse(message.body) as NotifierEvent);
    // Early warnings go out alongside (the emulator's clock runs hours behind the poller's, so open jobs look old):
    // every event published, warnings included, must match the public schema.
    for (const event of published) expect(validateEvent(event), JSON.stringify(validateEvent.errors)).toBe(true);
    const warnings = published.filter((event): event is JobWarningEvent => event.type === "JobWarning");
    const events = published.filter((event): event is JobStatusEvent => event.type !== "JobWarning");

    expect(report.outcome).toBe("delivered");
    expect(events).toHaveLength(6 + 1_150);
    // Running past its expiration time, half done: it may not finish (the rules live in src/domain/warnings.ts).
    expect(warnings.map((warning) => [warning.job.jobName, warning.warning.kind])).toEqual([
      ["nine-days-running", "MayNotFinish"],
    ]);
    for (const warning of warnings) {
      expect(warning).toMatchObject({ schemaVersion: "1.1", severity: "warning", job: { status: "InProgress" } });
      expect(warning.job.progress).toBeDefined();
      const message = delivered.find((candidate) => JSON.parse(candidate.body).eventId === warning.eventId);
      expect(message?.attributes).toMatchObject({ eventType: "JobWarning", warningKind: warning.warning.kind });
      expect(message?.attributes).not.toHaveProperty("status");
    }
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
    const byName = new Map(events.map((event) => [event.job.jobName, event]));
    const changes = [
      ["will-complete", "InProgress", "Completed", "info"],
      ["will-fail", "InProgress", "Failed", "error"],
      ["will-expire", "Scheduled", "Expired", "error"],
      ["will-partially-complete", "InProgress", "PartiallyCompleted", "warning"],
      ["will-be-stopped", "InProgress", "Stopped", "warning"],
      ["moves-several-steps", "Submitted", "InProgress", "info"],
    ] as const;
    for (const [name, from, to, severity] of changes) {
      const event = byName.get(name);
      expect(event, name).toMatchObject({
        previousStatus: from,
        severity,
        type: "JobStatusChanged",
        job: { status: to },
      });
      const message = delivered.find((candidate) => JSON.parse(candidate.body).job.jobName === name);
      expect(message?.attributes).toEqual({
        status: to,
        previousStatus: from,
        jobName: name,
        modelId: event?.job.modelId,
        severity,
        eventType: "JobStatusChanged",
        accountId: "123456789012",
        region: "us-east-1",
      });
    }
    expect(byName.get("will-fail")?.job.message).toContain("line 17 is not valid JSON");
    expect(byName.get("will-partially-complete")?.job.records).toEqual({
      total: 100,
      processed: 100,
      success: 90,
      error: 10,
    });
    expect(byName.has("nine-days-running")).toBe(false);
    const discovered = events.filter((event) => event.type === "JobDiscovered");
    expect(discovered).toHaveLength(1_150);
    expect(discovered.every((event) => event.previousStatus === null && event.job.status === "Submitted")).toBe(true);
  });

  it("delivers to a filtered subscription only the statuses it asked for, and no warning", async () => {
    const delivered = await stack.drain(failuresQueue);

    expect(delivered.map((message) => message.attributes.status).sort()).toEqual(["Expired", "Failed"]);
    expect(delivered.map((message) => message.attributes.eventType)).not.toContain("JobWarning");
  });

  it("announces the end of every job of the burst", async () => {
    clock.advance(5 * 60_000);
    const burst = stack.bedrock.listJobs().filter((job) => job.jobName?.startsWith("burst-"));
    for (const job of burst) stack.bedrock.setJobState(job.jobArn as string, { status: "Completed" });

    await poll();
    const published = (await stack.drain(stack.allEventsQueueUrl)).map(
      (message) => JSON.parse(message.body) as NotifierEvent,
    );
    for (const event of published) expect(validateEvent(event), JSON.stringify(validateEvent.errors)).toBe(true);
    // A job still open may be warned alongside (each kind once): only the transitions are counted here.
    const events = published.filter((event): event is JobStatusEvent => event.type !== "JobWarning");
    const warnings = published.filter((event): event is JobWarningEvent => event.type === "JobWarning");

    // The job that moved to InProgress last poll has (by Bedrock's clock) run 3 h with nothing processed.
    expect(warnings.map((warning) => [warning.job.jobName, warning.warning.kind])).toEqual([
      ["moves-several-steps", "NoProgress"],
    ]);
    expect(events).toHaveLength(1_150);
    expect(events.every((event) => event.previousStatus === "Submitted" && event.job.status === "Completed")).toBe(
      true,
    );
  });

  it("makes a quiet poll cheap: at most 6 Bedrock calls, a Query and no Scan, and no writes", async () => {
    clock.advance(5 * 60_000);
    stack.bedrock.resetStats();
    stack.dynamodbProxy.reset();

    const report = await poll();

    const bedrockCalls = Object.values(stack.bedrock.stats().calls).reduce((sum, count) => sum + count, 0);
    const dynamo = stack.dynamodbProxy.counts();
    expect(report.outcome).toBe("quiet");
    expect(await stack.drain(stack.allEventsQueueUrl)).toEqual([]);
    expect(bedrockCalls).toBeLessThanOrEqual(6);
    expect(dynamo.Query).toBeGreaterThanOrEqual(1);
    // The README's figure: the meta row and the open jobs, one request each.
    expect(dynamo).toEqual({ GetItem: 1, Query: 1 });
    expect(dynamo.Scan ?? 0).toBe(0);
    expect(writes()).toBe(0);
  });

  it("announces the nine-day-old open job when it finally ends, and only once", async () => {
    clock.advance(5 * 60_000);
    stack.bedrock.setJobState(arnOf["nine-days-running"] as string, { status: "Completed" });

    await poll();
    await poll();
    const events = (await stack.drain(stack.allEventsQueueUrl)).map((message) => JSON.parse(message.body));

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      previousStatus: "InProgress",
      job: { jobName: "nine-days-running", status: "Completed" },
    });
  });

  it("sends a transition once when two polls overlap", async () => {
    clock.advance(5 * 60_000);
    stack.bedrock.setJobState(arnOf["moves-several-steps"] as string, { status: "Completed" });

    const reports = await Promise.all([poll(), poll()]);
    const events = (await stack.drain(stack.allEventsQueueUrl)).map((message) => JSON.parse(message.body));

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ job: { jobName: "moves-several-steps", status: "Completed" } });
    expect(reports.map((report) => report.outcome).sort()).toContain("delivered");
  });
});
