import {
  type BedrockClient,
  CreateModelInvocationJobCommand,
  type CreateModelInvocationJobCommandInput,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
} from "@aws-sdk/client-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BedrockEmulator, ManualClock } from "../src";
import { failureOf, scopedClient } from "./sdk";

const NOW = new Date("2026-11-23T13:00:00.000Z");
const DEFAULT_ACCOUNT = "123456789012";
const MEMBER = "210987654321";

function createInput(clientRequestToken: string, jobName = "nightly"): CreateModelInvocationJobCommandInput {
  return {
    jobName,
    clientRequestToken,
    roleArn: "arn:aws:iam::210987654321:role/BedrockBatchRole",
    modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://batch-bucket/input/records.jsonl" } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://batch-bucket/output/" } },
  };
}

async function jobNamesSeenBy(client: BedrockClient): Promise<string[]> {
  const listed = await client.send(new ListModelInvocationJobsCommand({}));
  return (listed.invocationJobSummaries ?? []).map((summary) => summary.jobName ?? "");
}

describe("scopes: one jobs state per (account, region)", () => {
  let emulator: BedrockEmulator;
  const clients: BedrockClient[] = [];
  const client = (region: string, credentials?: Parameters<typeof scopedClient>[2]): BedrockClient => {
    const created = scopedClient(emulator, region, credentials);
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW), seed: 5 });
  });

  afterAll(async () => {
    for (const created of clients) created.destroy();
    await emulator.stop();
  });

  it("tells regions apart by the region the request is signed for", async () => {
    emulator.addJob({ jobName: "east-job", status: "InProgress" });
    const west = emulator.addJob({ jobName: "west-job", status: "InProgress" }, { region: "us-west-2" });

    expect(await jobNamesSeenBy(client("us-east-1"))).toEqual(["east-job"]);
    expect(await jobNamesSeenBy(client("us-west-2"))).toEqual(["west-job"]);
    expect(await jobNamesSeenBy(client("eu-central-1"))).toEqual([]);
    expect(west.jobArn).toMatch(/^arn:aws:bedrock:us-west-2:123456789012:model-invocation-job\/[a-z0-9]{12}$/);
  });

  it("tells accounts apart by the access key: registered keys belong to their account, others to the default", async () => {
    const member = emulator.credentialsFor(MEMBER);
    emulator.addJob({ jobName: "member-job", status: "Scheduled" }, { accountId: MEMBER });

    expect(await jobNamesSeenBy(client("us-east-1", member))).toEqual(["member-job"]);
    expect(await jobNamesSeenBy(client("us-east-1", { accessKeyId: "someone", secretAccessKey: "x" }))).toEqual([
      "east-job",
    ]);
    expect(emulator.credentialsFor(MEMBER).accessKeyId).toBe(member.accessKeyId);
    expect(member.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });

  it("creates jobs in the caller's scope, with ARNs naming it", async () => {
    const member = client("eu-west-1", emulator.credentialsFor(MEMBER));

    const { jobArn } = await member.send(new CreateModelInvocationJobCommand(createInput("token-1", "created")));

    expect(jobArn).toMatch(/^arn:aws:bedrock:eu-west-1:210987654321:model-invocation-job\/[a-z0-9]{12}$/);
    expect(emulator.listJobs({ accountId: MEMBER, region: "eu-west-1" }).map((job) => job.jobArn)).toEqual([jobArn]);
    expect(emulator.getJob(jobArn ?? "")?.jobName).toBe("created");
  });

  it("keeps idempotency tokens per scope: the same token in another scope creates another job", async () => {
    const east = client("us-east-1");
    const west = client("us-west-2");

    const first = await east.send(new CreateModelInvocationJobCommand(createInput("shared-token", "first")));
    const again = await east.send(new CreateModelInvocationJobCommand(createInput("shared-token", "first")));
    const elsewhere = await west.send(new CreateModelInvocationJobCommand(createInput("shared-token", "other")));

    expect(again.jobArn).toBe(first.jobArn);
    expect(elsewhere.jobArn).not.toBe(first.jobArn);
    expect(elsewhere.jobArn).toContain(":us-west-2:");
  });

  it("answers ResourceNotFoundException for a job ARN of another scope, even to a caller of that account", async () => {
    const memberKeys = emulator.credentialsFor(MEMBER);
    const job = emulator.addJob(
      { jobName: "only-in-ap", status: "InProgress" },
      { accountId: MEMBER, region: "ap-south-1" },
    );
    const jobIdentifier = job.jobArn ?? "";

    const fromDefault = await failureOf(client("ap-south-1").send(new GetModelInvocationJobCommand({ jobIdentifier })));
    const fromOtherRegion = await failureOf(
      client("us-east-1", memberKeys).send(new GetModelInvocationJobCommand({ jobIdentifier })),
    );
    const fromOwner = await client("ap-south-1", memberKeys).send(new GetModelInvocationJobCommand({ jobIdentifier }));

    for (const error of [fromDefault, fromOtherRegion]) {
      expect(error.name).toBe("ResourceNotFoundException");
      expect(error.$metadata.httpStatusCode).toBe(404);
    }
    expect(fromOwner.jobName).toBe("only-in-ap");
  });

  it("finds jobs programmatically by ARN in the scope it names, and by bare id in the default scope", () => {
    const job = emulator.addJob({ jobName: "programmatic", status: "InProgress" }, { region: "us-west-2" });
    const jobArn = job.jobArn ?? "";
    const jobId = jobArn.split("/").pop() ?? "";

    const moved = emulator.setJobState(jobArn, { status: "Completed" });

    expect(moved.status).toBe("Completed");
    expect(emulator.getJob(jobArn)?.status).toBe("Completed");
    expect(emulator.getJob(jobId)).toBeUndefined();
    expect(emulator.getJob(jobArn.replace(":us-west-2:", ":us-east-2:"))).toBeUndefined();
    expect(() => emulator.setJobState(jobId, { status: "Failed" })).toThrow(RangeError);
  });

  it("lists the scopes that hold state, and counts calls per scope", async () => {
    emulator.resetStats();
    await client("ca-central-1").send(new ListModelInvocationJobsCommand({}));
    await client("us-west-2").send(new ListModelInvocationJobsCommand({}));
    await client("us-west-2").send(new ListModelInvocationJobsCommand({}));

    const stats = emulator.stats();

    expect(emulator.scopes()).toEqual(
      expect.arrayContaining([
        { accountId: DEFAULT_ACCOUNT, region: "us-east-1" },
        { accountId: DEFAULT_ACCOUNT, region: "us-west-2" },
        { accountId: MEMBER, region: "us-east-1" },
        { accountId: MEMBER, region: "eu-west-1" },
        { accountId: MEMBER, region: "ap-south-1" },
      ]),
    );
    expect(emulator.scopes()).not.toContainEqual({ accountId: DEFAULT_ACCOUNT, region: "ca-central-1" });
    expect(stats.byScope["123456789012:us-west-2"]?.calls).toEqual({ ListModelInvocationJobs: 2 });
    expect(stats.byScope["123456789012:ca-central-1"]?.calls).toEqual({ ListModelInvocationJobs: 1 });
    expect(stats.calls).toEqual({ ListModelInvocationJobs: 3 });
  });

  it("rejects programmatic scopes that cannot exist", () => {
    expect(() => emulator.addJob({}, { accountId: "12345" })).toThrow(RangeError);
    expect(() => emulator.listJobs({ region: "US_EAST" })).toThrow(RangeError);
    expect(() => emulator.credentialsFor("not-an-account")).toThrow(RangeError);
  });
});

describe("scopes: determinism and quotas", () => {
  it("draws job ids per scope from the seed: same seed, same ids; another scope, other ids", async () => {
    const ids = async (region: string): Promise<string[]> => {
      const emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW), seed: 9 });
      // Another scope's activity must not shift this scope's sequence.
      emulator.addJobs([{}, {}], { region: "eu-north-1" });
      const arns = [emulator.addJob({}, { region }), emulator.addJob({}, { region })].map((job) => job.jobArn);
      await emulator.stop();
      return arns.map((arn) => arn?.split("/").pop() ?? "");
    };
    const alone = await BedrockEmulator.start({ clock: new ManualClock(NOW), seed: 9 });
    const aloneIds = [alone.addJob({}), alone.addJob({})].map((job) => job.jobArn?.split("/").pop());
    await alone.stop();

    const west = await ids("us-west-2");

    expect(await ids("us-west-2")).toEqual(west);
    expect(await ids("us-east-1")).toEqual(aloneIds);
    expect(west).not.toEqual(aloneIds);
  });

  it("counts maxOpenJobs per scope, as the quota is per account and region", async () => {
    const emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW), maxOpenJobs: 1 });
    const east = scopedClient(emulator, "us-east-1");
    const west = scopedClient(emulator, "us-west-2");

    await east.send(new CreateModelInvocationJobCommand(createInput("a")));
    await west.send(new CreateModelInvocationJobCommand(createInput("b")));
    const error = await failureOf(east.send(new CreateModelInvocationJobCommand(createInput("c"))));
    east.destroy();
    west.destroy();
    await emulator.stop();

    expect(error.name).toBe("ServiceQuotaExceededException");
  });

  it("creates no state for scopes that are only read, and none for a rejected Create", async () => {
    const emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW) });
    const stranger = scopedClient(emulator, "sa-east-1");

    await stranger.send(new ListModelInvocationJobsCommand({}));
    await failureOf(stranger.send(new GetModelInvocationJobCommand({ jobIdentifier: "abcdefghijkl" })));
    await failureOf(stranger.send(new CreateModelInvocationJobCommand({ ...createInput("x"), jobName: "bad name!" })));
    stranger.destroy();

    expect(emulator.scopes()).toEqual([]);
    expect(emulator.listJobs({ region: "sa-east-1" })).toEqual([]);
    await emulator.stop();
  });

  it("keeps 1,000 scopes cheap: reads leave no state, and each seeded scope holds only its own jobs", async () => {
    const emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW) });
    const regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
    const accounts = Array.from({ length: 200 }, (_, index) => String(100000000000 + index));

    // Act: one List per scope over HTTP, as a poller sweeping every scope would. The signature is never
    // checked, so a hand-written Authorization header is enough and spares building 1,000 SDK clients.
    for (const accountId of accounts) {
      const { accessKeyId } = emulator.credentialsFor(accountId);
      for (const region of regions) {
        const credential = `${accessKeyId}/20261123/${region}/bedrock/aws4_request`;
        const response = await fetch(`${emulator.endpoint}/model-invocation-jobs`, {
          headers: { authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=00` },
        });
        expect(await response.json()).toEqual({ invocationJobSummaries: [] });
      }
    }
    const afterReads = emulator.scopes().length;
    for (const accountId of accounts) for (const region of regions) emulator.addJob({}, { accountId, region });

    // Assess
    expect(afterReads).toBe(0);
    expect(Object.keys(emulator.stats().byScope)).toHaveLength(1000);
    expect(emulator.scopes()).toHaveLength(1000);
    expect(emulator.listJobs({ accountId: accounts[7], region: "eu-west-1" })).toHaveLength(1);
    await emulator.stop();
  });
});
