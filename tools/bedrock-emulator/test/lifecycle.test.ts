import {
  type BedrockClient,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  type GetModelInvocationJobCommandOutput,
  ListModelInvocationJobsCommand,
} from "@aws-sdk/client-bedrock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BedrockEmulator, ManualClock } from "../src";
import { clientFor, HOUR, MINUTE } from "./sdk";

const START = new Date("2026-11-23T13:00:00.000Z");
const SECOND = 1000;

function at(offsetMs: number): Date {
  return new Date(START.getTime() + offsetMs);
}

describe("job lifecycle on a manual clock", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;
  let clock: ManualClock;

  const get = (jobIdentifier: string): Promise<GetModelInvocationJobCommandOutput> =>
    client.send(new GetModelInvocationJobCommand({ jobIdentifier }));

  // A fresh emulator per test: the emulator never moves jobs backwards, so a clock cannot be rewound.
  beforeEach(async () => {
    clock = new ManualClock(START);
    emulator = await BedrockEmulator.start({
      clock,
      lifecycle: { progressIntervalMs: MINUTE },
      createPlan: {
        validateMs: 90 * SECOND,
        scheduleMs: 2 * MINUTE,
        runMs: 10 * MINUTE,
        totalRecords: 1000,
        failedRecords: 20,
      },
    });
    client = clientFor(emulator);
  });

  afterEach(async () => {
    client.destroy();
    await emulator.stop();
  });

  it("walks a created job through Submitted, Validating, Scheduled, InProgress and Completed", async () => {
    // Prepare
    const { jobArn = "" } = await client.send(
      new CreateModelInvocationJobCommand({
        jobName: "walk-through",
        roleArn: "arn:aws:iam::123456789012:role/BedrockBatchRole",
        modelId: "anthropic.claude-3-haiku-20240307-v1:0",
        inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://batch-bucket/in/records.jsonl" } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://batch-bucket/out/" } },
      }),
    );
    const observe = async (offsetMs: number) => {
      clock.set(at(offsetMs));
      const job = await get(jobArn);
      return {
        status: job.status,
        lastModifiedTime: job.lastModifiedTime,
        processed: job.processedRecordCount,
        success: job.successRecordCount,
        errors: job.errorRecordCount,
        endTime: job.endTime,
      };
    };

    // Act
    const timeline = [
      await observe(0),
      await observe(30 * SECOND),
      await observe(90 * SECOND),
      await observe(210 * SECOND),
      await observe(270 * SECOND),
      await observe(300 * SECOND),
      await observe(810 * SECOND),
    ];

    // Assess
    expect(timeline).toEqual([
      { status: "Submitted", lastModifiedTime: at(0), processed: 0, success: 0, errors: 0, endTime: undefined },
      {
        status: "Validating",
        lastModifiedTime: at(30 * SECOND),
        processed: 0,
        success: 0,
        errors: 0,
        endTime: undefined,
      },
      {
        status: "Scheduled",
        lastModifiedTime: at(90 * SECOND),
        processed: 0,
        success: 0,
        errors: 0,
        endTime: undefined,
      },
      {
        status: "InProgress",
        lastModifiedTime: at(210 * SECOND),
        processed: 0,
        success: 0,
        errors: 0,
        endTime: undefined,
      },
      {
        status: "InProgress",
        lastModifiedTime: at(270 * SECOND),
        processed: 100,
        success: 98,
        errors: 2,
        endTime: undefined,
      },
      // Between two progress ticks nothing changes, so lastModifiedTime stays put.
      {
        status: "InProgress",
        lastModifiedTime: at(270 * SECOND),
        processed: 100,
        success: 98,
        errors: 2,
        endTime: undefined,
      },
      {
        status: "Completed",
        lastModifiedTime: at(810 * SECOND),
        processed: 1000,
        success: 980,
        errors: 20,
        endTime: at(810 * SECOND),
      },
    ]);
  });

  it("fails a job after validation with a message about its input file", async () => {
    const seeded = emulator.addJob({
      jobName: "bad-input",
      inputS3Uri: "s3://batch-bucket/in/broken.jsonl",
      plan: { validateMs: 90 * SECOND, outcome: "Failed" },
    });

    clock.set(at(89 * SECOND));
    const validating = await get(seeded.jobArn ?? "");
    clock.set(at(90 * SECOND));
    const failed = await get(seeded.jobArn ?? "");

    expect(validating.status).toBe("Validating");
    expect(validating.message).toBeUndefined();
    expect(failed).toMatchObject({
      status: "Failed",
      endTime: at(90 * SECOND),
      lastModifiedTime: at(90 * SECOND),
      processedRecordCount: 0,
    });
    expect(failed.message).toContain("s3://batch-bucket/in/broken.jsonl");
  });

  it("keeps a custom failure message, cut to the 2048 characters the model allows", async () => {
    const seeded = emulator.addJob({ plan: { validateMs: 0, outcome: "Failed", failureMessage: "x".repeat(3000) } });

    const failed = await get(seeded.jobArn ?? "");

    expect(failed.status).toBe("Failed");
    expect(failed.message).toHaveLength(2048);
  });

  it("ends a PartiallyCompleted job with error records", async () => {
    const seeded = emulator.addJob({
      plan: { validateMs: 0, scheduleMs: 0, runMs: 5 * MINUTE, outcome: "PartiallyCompleted", totalRecords: 200 },
    });

    clock.set(at(5 * MINUTE));
    const job = await get(seeded.jobArn ?? "");

    expect(job).toMatchObject({
      status: "PartiallyCompleted",
      totalRecordCount: 200,
      processedRecordCount: 200,
      successRecordCount: 190,
      errorRecordCount: 10,
      endTime: at(5 * MINUTE),
    });
  });

  it("expires a Scheduled job that never started at its jobExpirationTime", async () => {
    const seeded = emulator.addJob({ timeoutDurationInHours: 24, plan: { outcome: "Expired" } });

    clock.set(at(24 * HOUR - 1));
    const before = await get(seeded.jobArn ?? "");
    clock.set(at(24 * HOUR));
    const after = await get(seeded.jobArn ?? "");

    expect(before.status).toBe("Scheduled");
    expect(after).toMatchObject({ status: "Expired", endTime: at(24 * HOUR), jobExpirationTime: at(24 * HOUR) });
    expect(after.message).toContain("24 hours");
  });

  it("ends a job still running at its timeout as PartiallyCompleted", async () => {
    const seeded = emulator.addJob({
      timeoutDurationInHours: 24,
      plan: { validateMs: 0, scheduleMs: 23 * HOUR, runMs: 2 * HOUR, totalRecords: 1200, progressIntervalMs: MINUTE },
    });

    clock.set(at(25 * HOUR));
    const job = await get(seeded.jobArn ?? "");

    expect(job).toMatchObject({ status: "PartiallyCompleted", endTime: at(24 * HOUR), processedRecordCount: 600 });
  });

  it("moves a job between statusEquals results as its status changes", async () => {
    const seeded = emulator.addJob({
      jobName: "index-follower",
      plan: { validateMs: 0, scheduleMs: 0, runMs: 10 * MINUTE },
    });
    const names = async (statusEquals: "InProgress" | "Completed") =>
      (
        (await client.send(new ListModelInvocationJobsCommand({ statusEquals, nameContains: "index-follower" })))
          .invocationJobSummaries ?? []
      ).map((summary) => summary.jobArn);

    const whileRunning = { inProgress: await names("InProgress"), completed: await names("Completed") };
    clock.set(at(10 * MINUTE));
    const afterwards = { inProgress: await names("InProgress"), completed: await names("Completed") };

    expect(whileRunning).toEqual({ inProgress: [seeded.jobArn], completed: [] });
    expect(afterwards).toEqual({ inProgress: [], completed: [seeded.jobArn] });
  });

  it("continues a seeded open job's plan from the time its status began", async () => {
    const seeded = emulator.addJob({
      status: "InProgress",
      submitTime: at(-30 * MINUTE),
      lastModifiedTime: at(-5 * MINUTE),
      plan: { runMs: 10 * MINUTE, totalRecords: 100 },
    });

    const now = await get(seeded.jobArn ?? "");
    clock.set(at(5 * MINUTE));
    const later = await get(seeded.jobArn ?? "");

    expect(now).toMatchObject({ status: "InProgress", processedRecordCount: 50 });
    expect(later).toMatchObject({ status: "Completed", endTime: at(5 * MINUTE), processedRecordCount: 100 });
  });

  it("leaves a seeded open job without a plan where it is", async () => {
    const seeded = emulator.addJob({ status: "Scheduled", submitTime: at(-HOUR), lastModifiedTime: at(-HOUR) });

    clock.set(at(3 * 24 * HOUR));
    const job = await get(seeded.jobArn ?? "");

    expect(job).toMatchObject({ status: "Scheduled", lastModifiedTime: at(-HOUR) });
  });

  it("never changes a finished job as the clock moves on", async () => {
    const seeded = emulator.addJob({
      status: "Completed",
      submitTime: at(-2 * HOUR),
      endTime: at(-HOUR),
      lastModifiedTime: at(-HOUR),
    });

    clock.set(at(30 * 24 * HOUR));
    const job = await get(seeded.jobArn ?? "");

    expect(job).toEqual({ ...seeded, $metadata: expect.anything() });
  });

  it("sets a job's state directly and keeps it there", async () => {
    const seeded = emulator.addJob({ plan: { validateMs: MINUTE, scheduleMs: MINUTE, runMs: MINUTE } });

    const view = emulator.setJobState(seeded.jobArn ?? "", {
      status: "InProgress",
      processed: 7,
      success: 6,
      error: 1,
      total: 10,
    });
    clock.set(at(HOUR));
    const job = await get(seeded.jobArn ?? "");

    expect(view).toMatchObject({ status: "InProgress", lastModifiedTime: at(0) });
    expect(job).toMatchObject({
      status: "InProgress",
      lastModifiedTime: at(0),
      processedRecordCount: 7,
      successRecordCount: 6,
      errorRecordCount: 1,
      totalRecordCount: 10,
    });
  });

  it("sets a finished state with an end time, a default failure message and the status index updated", async () => {
    const seeded = emulator.addJob({ jobName: "forced-failure", status: "InProgress" });

    clock.set(at(MINUTE));
    emulator.setJobState(seeded.jobArn ?? "", { status: "Failed" });
    const listed = await client.send(
      new ListModelInvocationJobsCommand({ statusEquals: "Failed", nameContains: "forced-failure" }),
    );

    expect(listed.invocationJobSummaries).toHaveLength(1);
    expect(listed.invocationJobSummaries?.[0]).toMatchObject({
      status: "Failed",
      endTime: at(MINUTE),
      lastModifiedTime: at(MINUTE),
    });
    expect(listed.invocationJobSummaries?.[0]?.message).toMatch(/\S/);
  });

  it("resumes a plan when setJobState is given one", async () => {
    const seeded = emulator.addJob({ status: "Scheduled" });

    emulator.setJobState((seeded.jobArn ?? "").split("/").pop() ?? "", {
      status: "InProgress",
      plan: { runMs: 2 * MINUTE, totalRecords: 4 },
    });
    clock.set(at(2 * MINUTE));
    const job = emulator.getJob(seeded.jobArn ?? "");

    expect(job).toMatchObject({ status: "Completed", processedRecordCount: 4, endTime: at(2 * MINUTE) });
  });
});
