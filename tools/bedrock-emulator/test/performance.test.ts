import { type BedrockClient, ListModelInvocationJobsCommand } from "@aws-sdk/client-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BedrockEmulator, type JobStatus, ManualClock, type SeedJob } from "../src";
import { clientFor, MINUTE } from "./sdk";

const NOW = new Date("2026-11-23T13:00:00.000Z");
const FINISHED: JobStatus[] = ["Completed", "Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired"];
const FINISHED_COUNT = 100_000;
const OPEN_COUNT = 50;

function* benchmarkJobs(): Generator<SeedJob> {
  for (let index = 0; index < FINISHED_COUNT; index++) {
    // Thirty days of history, all older than the ten-minute window the poller asks for.
    const submitTime = new Date(NOW.getTime() - 15 * MINUTE - index * 25_000);
    yield { status: FINISHED[index % FINISHED.length], submitTime };
  }
  for (let index = 0; index < OPEN_COUNT; index++) {
    const startedAt = new Date(NOW.getTime() - index * 10_000);
    yield {
      status: "InProgress",
      submitTime: startedAt,
      lastModifiedTime: startedAt,
      plan: { runMs: 20 * MINUTE, totalRecords: 5000 },
    };
  }
}

// Generous bounds: these guard against an accidental O(N) path, not against a slow CI machine.
describe("emulator at benchmark scale", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;
  let clock: ManualClock;
  let seedingMs: number;

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    emulator = await BedrockEmulator.start({ clock });
    client = clientFor(emulator);
    const startedAt = performance.now();
    emulator.addJobs(benchmarkJobs());
    seedingMs = performance.now() - startedAt;
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it("seeds 100,000 finished and 50 open jobs in well under a few seconds", () => {
    expect(seedingMs).toBeLessThan(3000);
  });

  it("lists the open jobs by status without scanning the finished ones", async () => {
    await client.send(new ListModelInvocationJobsCommand({ statusEquals: "InProgress" }));

    const startedAt = performance.now();
    const response = await client.send(new ListModelInvocationJobsCommand({ statusEquals: "InProgress" }));
    const elapsedMs = performance.now() - startedAt;

    expect(response.invocationJobSummaries).toHaveLength(OPEN_COUNT);
    expect(response.nextToken).toBeUndefined();
    expect(elapsedMs).toBeLessThan(250);
  });

  it("lists a recent submit-time window by binary search", async () => {
    const input = { submitTimeAfter: new Date(NOW.getTime() - 10 * MINUTE) };
    await client.send(new ListModelInvocationJobsCommand(input));

    const startedAt = performance.now();
    const response = await client.send(new ListModelInvocationJobsCommand(input));
    const elapsedMs = performance.now() - startedAt;

    expect(response.invocationJobSummaries).toHaveLength(OPEN_COUNT);
    expect(elapsedMs).toBeLessThan(250);
  });

  it("advances the open jobs as the clock moves and leaves the finished ones alone", async () => {
    clock.advance(20 * MINUTE);

    const open = await client.send(new ListModelInvocationJobsCommand({ statusEquals: "InProgress" }));
    const done = await client.send(
      new ListModelInvocationJobsCommand({
        statusEquals: "Completed",
        submitTimeAfter: new Date(NOW.getTime() - 10 * MINUTE),
      }),
    );
    const oldest = await client.send(new ListModelInvocationJobsCommand({ sortOrder: "Ascending", maxResults: 1 }));

    expect(open.invocationJobSummaries).toHaveLength(0);
    expect(done.invocationJobSummaries).toHaveLength(OPEN_COUNT);
    expect(oldest.invocationJobSummaries?.[0]?.lastModifiedTime?.getTime()).toBeLessThan(NOW.getTime());
  });
});
