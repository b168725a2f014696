import {
  type BedrockClient,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  StopModelInvocationJobCommand,
} from "@aws-sdk/client-bedrock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BedrockEmulator, type FaultOptions, ManualClock } from "../src";
import { clientFor, failureOf } from "./sdk";

const NOW = new Date("2026-11-23T13:00:00.000Z");

/** Runs `calls` List requests one after another and records what each one got. */
async function outcomes(client: BedrockClient, calls: number): Promise<string[]> {
  const seen: string[] = [];
  for (let index = 0; index < calls; index++) {
    try {
      await client.send(new ListModelInvocationJobsCommand({ maxResults: 1 }));
      seen.push("ok");
    } catch (error) {
      seen.push(error instanceof Error ? error.name : "unknown");
    }
  }
  return seen;
}

async function sequenceFor(faults: FaultOptions, calls = 40): Promise<string[]> {
  const emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW), faults });
  const client = clientFor(emulator);
  try {
    return await outcomes(client, calls);
  } finally {
    client.destroy();
    await emulator.stop();
  }
}

describe("fault injection", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;
  let jobArn: string;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW) });
    client = clientFor(emulator);
    jobArn = emulator.addJob({ status: "InProgress" }).jobArn ?? "";
  });

  afterEach(() => {
    emulator.setFaults({});
    emulator.resetStats();
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it("answers ThrottlingException 429 at a throttle rate of 1", async () => {
    emulator.setFaults({ throttleRate: 1 });

    const error = await failureOf(client.send(new ListModelInvocationJobsCommand({})));

    expect(error.name).toBe("ThrottlingException");
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(emulator.stats().faults).toEqual({ throttled: 1, serverErrors: 0 });
  });

  it("answers InternalServerException 500 at a server error rate of 1", async () => {
    emulator.setFaults({ serverErrorRate: 1 });

    const error = await failureOf(client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn })));

    expect(error.name).toBe("InternalServerException");
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(emulator.stats().faults).toEqual({ throttled: 0, serverErrors: 1 });
  });

  it("produces the same fault sequence for the same seed, and another for another seed", async () => {
    const faults = { seed: 7, throttleRate: 0.3, serverErrorRate: 0.2 };

    const first = await sequenceFor(faults);
    const second = await sequenceFor(faults);
    const otherSeed = await sequenceFor({ ...faults, seed: 8 });

    expect(second).toEqual(first);
    expect(otherSeed).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(["ok", "ThrottlingException", "InternalServerException"]));
  });

  it("restarts the sequence from the seed when the faults are set again at run time", async () => {
    emulator.setFaults({ seed: 3, throttleRate: 0.5 });
    const first = await outcomes(client, 20);
    emulator.setFaults({ seed: 3, throttleRate: 0.5 });
    const again = await outcomes(client, 20);

    expect(again).toEqual(first);
  });

  it("limits global faults to the listed operations", async () => {
    emulator.setFaults({ throttleRate: 1, operations: ["GetModelInvocationJob"] });

    const listed = await client.send(new ListModelInvocationJobsCommand({}));
    const error = await failureOf(client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn })));

    expect(listed.invocationJobSummaries).toHaveLength(1);
    expect(error.name).toBe("ThrottlingException");
  });

  it("applies per-operation rates instead of the global ones", async () => {
    emulator.setFaults({ serverErrorRate: 1, perOperation: { ListModelInvocationJobs: { throttleRate: 0 } } });

    const listed = await client.send(new ListModelInvocationJobsCommand({}));
    const error = await failureOf(client.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn })));

    expect(listed.invocationJobSummaries).toHaveLength(1);
    expect(error.name).toBe("InternalServerException");
    expect(emulator.getJob(jobArn)?.status).toBe("InProgress");
  });

  it("delays responses by the configured latency", async () => {
    emulator.setFaults({ latencyMs: 150 });

    const startedAt = performance.now();
    await client.send(new ListModelInvocationJobsCommand({}));

    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140);
  });

  it("lets the SDK's own retries get past throttling", async () => {
    emulator.setFaults({ seed: 1, throttleRate: 0.5 });
    const retryingClient = clientFor(emulator, 10);

    const attempts: number[] = [];
    for (let call = 0; call < 3; call++) {
      const result = await retryingClient.send(new ListModelInvocationJobsCommand({}));
      attempts.push(result.$metadata.attempts ?? 0);
    }
    retryingClient.destroy();

    expect(attempts.some((count) => count > 1)).toBe(true);
    expect(emulator.stats().faults.throttled).toBeGreaterThan(0);
  });

  it("counts calls and response bytes per operation", async () => {
    await client.send(new ListModelInvocationJobsCommand({}));
    await client.send(new ListModelInvocationJobsCommand({}));
    await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));

    const stats = emulator.stats();

    expect(stats.calls).toEqual({ ListModelInvocationJobs: 2, GetModelInvocationJob: 1 });
    expect(stats.responseBytes.ListModelInvocationJobs).toBeGreaterThan(2 * 500);
    expect(stats.responseBytes.GetModelInvocationJob).toBeGreaterThan(500);
  });

  it("rejects fault rates outside 0..1", () => {
    expect(() => emulator.setFaults({ throttleRate: 1.5 })).toThrow(RangeError);
    expect(() => emulator.setFaults({ throttleRate: 0.6, serverErrorRate: 0.6 })).toThrow(RangeError);
  });
});
