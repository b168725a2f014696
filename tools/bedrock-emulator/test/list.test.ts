import {
  type BedrockClient,
  ListModelInvocationJobsCommand,
  type ListModelInvocationJobsCommandInput,
  type ModelInvocationJobSummary,
  paginateListModelInvocationJobs,
} from "@aws-sdk/client-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BedrockEmulator, type JobStatus, ManualClock } from "../src";
import { clientFor, failureOf, HOUR, MINUTE } from "./sdk";

const NOW = new Date("2026-11-23T13:00:00.000Z");
const STATUSES: JobStatus[] = ["Completed", "Failed", "InProgress", "Scheduled", "PartiallyCompleted", "Stopped"];
const JOB_COUNT = 30;

function submitTimeOf(index: number): Date {
  return new Date(NOW.getTime() - (index + 1) * MINUTE);
}

async function listAll(client: BedrockClient, input: ListModelInvocationJobsCommandInput, pageSize = 7) {
  const summaries: ModelInvocationJobSummary[] = [];
  for await (const page of paginateListModelInvocationJobs({ client, pageSize }, input)) {
    summaries.push(...(page.invocationJobSummaries ?? []));
  }
  return summaries;
}

describe("ListModelInvocationJobs", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW), seed: 11 });
    client = clientFor(emulator);
    for (let index = 0; index < JOB_COUNT; index++) {
      emulator.addJob({
        jobName: `${index % 2 === 0 ? "Alpha" : "beta"}-report-${index}`,
        submitTime: submitTimeOf(index),
        status: STATUSES[index % STATUSES.length],
      });
    }
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it("lists every job newest first when no sort order is given", async () => {
    // Act
    const summaries = await listAll(client, {});

    // Assess
    expect(summaries).toHaveLength(JOB_COUNT);
    const times = summaries.map((summary) => summary.submitTime?.getTime() ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(summaries.map((summary) => summary.jobArn)).size).toBe(JOB_COUNT);
  });

  it("lists oldest first with sortOrder Ascending and accepts sortBy CreationTime", async () => {
    const summaries = await listAll(client, { sortBy: "CreationTime", sortOrder: "Ascending" });

    const times = summaries.map((summary) => summary.submitTime?.getTime() ?? 0);
    expect(summaries).toHaveLength(JOB_COUNT);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("parses every timestamp into a Date object", async () => {
    const [newest] =
      (await client.send(new ListModelInvocationJobsCommand({ maxResults: 1 }))).invocationJobSummaries ?? [];

    expect(newest?.submitTime).toBeInstanceOf(Date);
    expect(newest?.submitTime?.toISOString()).toBe(submitTimeOf(0).toISOString());
    expect(newest?.lastModifiedTime).toBeInstanceOf(Date);
    expect(newest?.jobExpirationTime).toBeInstanceOf(Date);
    expect(newest?.endTime).toBeInstanceOf(Date);
  });

  it("filters by statusEquals through the status index", async () => {
    for (const status of STATUSES) {
      const summaries = await listAll(client, { statusEquals: status }, 2);

      expect(summaries).toHaveLength(JOB_COUNT / STATUSES.length);
      expect(summaries.every((summary) => summary.status === status)).toBe(true);
    }
  });

  it("treats submitTimeAfter and submitTimeBefore as exclusive bounds", async () => {
    // Prepare: jobs 3..8 lie strictly between job 9's and job 2's submit times.
    const input = { submitTimeAfter: submitTimeOf(9), submitTimeBefore: submitTimeOf(2) };

    const summaries = await listAll(client, input, 4);

    expect(summaries.map((summary) => summary.jobName)).toEqual(
      [3, 4, 5, 6, 7, 8].map((index) => expect.stringContaining(`-report-${index}`)),
    );
  });

  it("filters by nameContains without regard to case", async () => {
    const summaries = await listAll(client, { nameContains: "ALPHA" });

    expect(summaries).toHaveLength(JOB_COUNT / 2);
    expect(summaries.every((summary) => summary.jobName?.startsWith("Alpha-"))).toBe(true);
  });

  it("combines status, name and time filters", async () => {
    const summaries = await listAll(client, {
      statusEquals: "Completed",
      nameContains: "alpha",
      submitTimeAfter: submitTimeOf(20),
      sortOrder: "Ascending",
    });

    // Completed jobs are indexes 0, 6, 12, 18, 24; all even (Alpha); those after job 20's time are 18, 12, 6, 0.
    expect(summaries.map((summary) => summary.jobName)).toEqual([
      "Alpha-report-18",
      "Alpha-report-12",
      "Alpha-report-6",
      "Alpha-report-0",
    ]);
  });

  it("returns a nextToken only while more jobs match", async () => {
    const exact = await client.send(new ListModelInvocationJobsCommand({ statusEquals: "Failed", maxResults: 5 }));
    const short = await client.send(new ListModelInvocationJobsCommand({ statusEquals: "Failed", maxResults: 4 }));

    expect(exact.invocationJobSummaries).toHaveLength(5);
    expect(exact.nextToken).toBeUndefined();
    expect(short.invocationJobSummaries).toHaveLength(4);
    expect(short.nextToken).toEqual(expect.any(String));
  });

  it("keeps later pages stable when newer jobs are added between pages", async () => {
    // Prepare
    const first = await client.send(new ListModelInvocationJobsCommand({ maxResults: 10 }));
    for (let index = 0; index < 5; index++) emulator.addJob({ jobName: `late-arrival-${index}`, submitTime: NOW });

    // Act
    const rest: ModelInvocationJobSummary[] = [];
    for await (const page of paginateListModelInvocationJobs(
      { client, pageSize: 10, startingToken: first.nextToken },
      {},
    )) {
      rest.push(...(page.invocationJobSummaries ?? []));
    }

    // Assess: the 30 original jobs exactly once; the new ones sort before the cursor, so they are not repeated.
    const names = [...(first.invocationJobSummaries ?? []), ...rest].map((summary) => summary.jobName ?? "");
    expect(names).toHaveLength(JOB_COUNT);
    expect(new Set(names).size).toBe(JOB_COUNT);
    expect(names.some((name) => name.startsWith("late-arrival"))).toBe(false);
  });
});

describe("ListModelInvocationJobs limits", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW) });
    client = clientFor(emulator);
    for (let index = 0; index < 5; index++) emulator.addJob({ submitTime: new Date(NOW.getTime() - index * HOUR) });
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  const invalidInputs: Array<[string, ListModelInvocationJobsCommandInput, string]> = [
    ["maxResults below 1", { maxResults: 0 }, "maxResults"],
    ["maxResults above 1000", { maxResults: 1001 }, "maxResults"],
    ["a nextToken longer than 2048 characters", { nextToken: "a".repeat(2049) }, "nextToken"],
    ["a nextToken with whitespace", { nextToken: "not a token" }, "nextToken"],
    ["a sortBy other than CreationTime", { sortBy: "Name" as "CreationTime" }, "sortBy"],
    ["a sortOrder other than Ascending or Descending", { sortOrder: "Newest" as "Ascending" }, "sortOrder"],
    ["an unknown statusEquals", { statusEquals: "Running" as JobStatus }, "statusEquals"],
    ["a nameContains outside the job name pattern", { nameContains: "bad name!" }, "nameContains"],
    ["a nameContains longer than 63 characters", { nameContains: "a".repeat(64) }, "nameContains"],
  ];

  it.each(invalidInputs)("rejects %s with a ValidationException", async (_label, input, field) => {
    const error = await failureOf(client.send(new ListModelInvocationJobsCommand(input)));

    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(`'${field}'`);
  });

  it("accepts maxResults of exactly 1 and 1000", async () => {
    const one = await client.send(new ListModelInvocationJobsCommand({ maxResults: 1 }));
    const thousand = await client.send(new ListModelInvocationJobsCommand({ maxResults: 1000 }));

    expect(one.invocationJobSummaries).toHaveLength(1);
    expect(thousand.invocationJobSummaries).toHaveLength(5);
  });

  it("rejects a nextToken it did not issue", async () => {
    const error = await failureOf(client.send(new ListModelInvocationJobsCommand({ nextToken: "Z2FyYmFnZQ" })));

    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("rejects a nextToken reused with different filters", async () => {
    const { nextToken } = await client.send(new ListModelInvocationJobsCommand({ maxResults: 2 }));

    const error = await failureOf(
      client.send(new ListModelInvocationJobsCommand({ maxResults: 2, nextToken, sortOrder: "Ascending" })),
    );

    expect(nextToken).toEqual(expect.any(String));
    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("accepts a nextToken with a different page size", async () => {
    const { nextToken } = await client.send(new ListModelInvocationJobsCommand({ maxResults: 2 }));

    const next = await client.send(new ListModelInvocationJobsCommand({ maxResults: 3, nextToken }));

    expect(next.invocationJobSummaries).toHaveLength(3);
    expect(next.nextToken).toBeUndefined();
  });

  it("rejects a nextToken issued by another emulator", async () => {
    // Prepare
    const other = await BedrockEmulator.start({ clock: new ManualClock(NOW), seed: 99 });
    const otherClient = clientFor(other);
    other.addJobs([{ submitTime: NOW }, { submitTime: NOW }]);
    const { nextToken } = await otherClient.send(new ListModelInvocationJobsCommand({ maxResults: 1 }));
    otherClient.destroy();
    await other.stop();

    // Act
    const error = await failureOf(client.send(new ListModelInvocationJobsCommand({ maxResults: 1, nextToken })));

    // Assess
    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});
