import {
  type BedrockClient,
  CreateModelInvocationJobCommand,
  type CreateModelInvocationJobCommandInput,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  StopModelInvocationJobCommand,
} from "@aws-sdk/client-bedrock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BedrockEmulator, ManualClock } from "../src";
import { clientFor, failureOf, HOUR } from "./sdk";

const NOW = new Date("2026-11-23T13:00:00.000Z");

function createInput(
  overrides: Partial<CreateModelInvocationJobCommandInput> = {},
): CreateModelInvocationJobCommandInput {
  return {
    jobName: "nightly-summaries-2026-11-23",
    roleArn: "arn:aws:iam::123456789012:role/BedrockBatchRole",
    modelId: "anthropic.claude-3-haiku-20240307-v1:0",
    inputDataConfig: {
      s3InputDataConfig: { s3Uri: "s3://my-batch-bucket/input/records.jsonl", s3InputFormat: "JSONL" },
    },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://my-batch-bucket/output/" } },
    timeoutDurationInHours: 72,
    ...overrides,
  };
}

describe("GetModelInvocationJob", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;
  let jobArn: string;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW) });
    client = clientFor(emulator);
    const job = emulator.addJob({
      jobName: "ticket-triage",
      status: "Failed",
      submitTime: new Date(NOW.getTime() - 2 * HOUR),
      timeoutDurationInHours: 48,
      vpcConfig: { subnetIds: ["subnet-0abc"], securityGroupIds: ["sg-0def"] },
    });
    jobArn = job.jobArn ?? "";
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it("finds a job by its URI-encoded ARN and returns every member of the model", async () => {
    const job = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));

    expect(job).toMatchObject({
      jobArn,
      jobName: "ticket-triage",
      modelId: "anthropic.claude-3-haiku-20240307-v1:0",
      clientRequestToken: expect.any(String),
      roleArn: "arn:aws:iam::123456789012:role/BedrockBatchInferenceRole",
      status: "Failed",
      message: expect.stringMatching(/\S/),
      inputDataConfig: { s3InputDataConfig: { s3Uri: expect.stringMatching(/^s3:\/\//), s3InputFormat: "JSONL" } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: expect.stringMatching(/^s3:\/\//) } },
      vpcConfig: { subnetIds: ["subnet-0abc"], securityGroupIds: ["sg-0def"] },
      timeoutDurationInHours: 48,
      modelInvocationType: "InvokeModel",
      totalRecordCount: expect.any(Number),
      processedRecordCount: expect.any(Number),
      successRecordCount: expect.any(Number),
      errorRecordCount: expect.any(Number),
    });
    expect(job.jobArn).toMatch(/^arn:aws:bedrock:us-east-1:123456789012:model-invocation-job\/[a-z0-9]{12}$/);
    expect(job.submitTime).toEqual(new Date(NOW.getTime() - 2 * HOUR));
    expect(job.jobExpirationTime).toEqual(new Date(NOW.getTime() + 46 * HOUR));
    expect(job.endTime).toBeInstanceOf(Date);
    expect(job.lastModifiedTime).toBeInstanceOf(Date);
  });

  it("finds the same job by its bare 12-character id", async () => {
    const jobId = jobArn.split("/").pop() ?? "";

    const job = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobId }));

    expect(job.jobArn).toBe(jobArn);
  });

  it("answers ResourceNotFoundException 404 for an unknown job", async () => {
    const error = await failureOf(client.send(new GetModelInvocationJobCommand({ jobIdentifier: "abcdefghijkl" })));

    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it("answers ResourceNotFoundException 404 for a job ARN of another account or region", async () => {
    const jobId = jobArn.split("/").pop() ?? "";
    const otherAccount = `arn:aws:bedrock:us-east-1:210987654321:model-invocation-job/${jobId}`;
    const otherRegion = `arn:aws:bedrock:eu-west-1:123456789012:model-invocation-job/${jobId}`;

    const errors = await Promise.all(
      [otherAccount, otherRegion].map((jobIdentifier) =>
        failureOf(client.send(new GetModelInvocationJobCommand({ jobIdentifier }))),
      ),
    );

    for (const error of errors) {
      expect(error.name).toBe("ResourceNotFoundException");
      expect(error.$metadata.httpStatusCode).toBe(404);
    }
  });

  it.each([
    ["a name instead of an id", "ticket-triage"],
    ["an id of 13 characters", "abcdefghijklm"],
    ["an ARN of another resource type", "arn:aws:bedrock:us-east-1:123456789012:model-customization-job/abcdefghijkl"],
    ["an id with upper-case letters", "ABCDEFGHIJKL"],
  ])("rejects %s as jobIdentifier with a ValidationException", async (_label, jobIdentifier) => {
    const error = await failureOf(client.send(new GetModelInvocationJobCommand({ jobIdentifier })));

    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain("'jobIdentifier'");
  });
});

describe("CreateModelInvocationJob", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;

  beforeAll(async () => {
    emulator = await BedrockEmulator.start({ clock: new ManualClock(NOW), seed: 5 });
    client = clientFor(emulator);
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it("creates a Submitted job that Get returns with the request's configuration", async () => {
    const { jobArn } = await client.send(
      new CreateModelInvocationJobCommand(
        createInput({ clientRequestToken: "create-once-1", modelInvocationType: "Converse" }),
      ),
    );

    const job = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));

    expect(job).toMatchObject({
      jobArn,
      jobName: "nightly-summaries-2026-11-23",
      status: "Submitted",
      clientRequestToken: "create-once-1",
      roleArn: "arn:aws:iam::123456789012:role/BedrockBatchRole",
      inputDataConfig: {
        s3InputDataConfig: { s3Uri: "s3://my-batch-bucket/input/records.jsonl", s3InputFormat: "JSONL" },
      },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://my-batch-bucket/output/" } },
      timeoutDurationInHours: 72,
      modelInvocationType: "Converse",
      submitTime: NOW,
      lastModifiedTime: NOW,
      jobExpirationTime: new Date(NOW.getTime() + 72 * HOUR),
    });
    expect(job.endTime).toBeUndefined();
  });

  it("returns the same jobArn for a repeated request with the same clientRequestToken", async () => {
    const input = createInput({ jobName: "idempotent-job", clientRequestToken: "retry-safe-token" });

    const first = await client.send(new CreateModelInvocationJobCommand(input));
    const second = await client.send(new CreateModelInvocationJobCommand(input));
    const listed = await client.send(new ListModelInvocationJobsCommand({ nameContains: "idempotent-job" }));

    expect(second.jobArn).toBe(first.jobArn);
    expect(listed.invocationJobSummaries).toHaveLength(1);
  });

  it("creates distinct jobs when the SDK generates the clientRequestToken", async () => {
    const input = createInput({ jobName: "auto-token-job" });

    const first = await client.send(new CreateModelInvocationJobCommand(input));
    const second = await client.send(new CreateModelInvocationJobCommand(input));

    expect(second.jobArn).not.toBe(first.jobArn);
  });

  it("answers ConflictException when a clientRequestToken is reused with a different request", async () => {
    await client.send(new CreateModelInvocationJobCommand(createInput({ clientRequestToken: "reused-token" })));

    const error = await failureOf(
      client.send(
        new CreateModelInvocationJobCommand(createInput({ clientRequestToken: "reused-token", jobName: "other-name" })),
      ),
    );

    expect(error.name).toBe("ConflictException");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it.each<[string, Partial<CreateModelInvocationJobCommandInput>, string]>([
    ["a job name with spaces", { jobName: "my job" }, "jobName"],
    ["a job name longer than 63 characters", { jobName: "a".repeat(64) }, "jobName"],
    ["a timeout below 24 hours", { timeoutDurationInHours: 23 }, "timeoutDurationInHours"],
    ["a timeout above 168 hours", { timeoutDurationInHours: 169 }, "timeoutDurationInHours"],
    ["a role that is not an IAM role ARN", { roleArn: "BedrockBatchRole" }, "roleArn"],
    ["a model id with spaces", { modelId: "claude three" }, "modelId"],
    [
      "an input location that is not an S3 URI",
      { inputDataConfig: { s3InputDataConfig: { s3Uri: "https://example.com/in.jsonl" } } },
      "inputDataConfig.s3InputDataConfig.s3Uri",
    ],
    ["an unknown modelInvocationType", { modelInvocationType: "Chat" as "Converse" }, "modelInvocationType"],
    ["a clientRequestToken with underscores", { clientRequestToken: "not_allowed" }, "clientRequestToken"],
    [
      "a bucket name with an underscore",
      { outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://my_bucket/out/" } } },
      "outputDataConfig.s3OutputDataConfig.s3Uri",
    ],
    [
      "a bucket name with capitals",
      { inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://MyBucket/in.jsonl" } } },
      "inputDataConfig.s3InputDataConfig.s3Uri",
    ],
    [
      "a bucket name of one character",
      { inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://a/in.jsonl" } } },
      "inputDataConfig.s3InputDataConfig.s3Uri",
    ],
    [
      "a subnet id with an underscore",
      { vpcConfig: { subnetIds: ["subnet_0abc"], securityGroupIds: ["sg-0def"] } },
      "vpcConfig.subnetIds",
    ],
    [
      "an empty security-group id",
      { vpcConfig: { subnetIds: ["subnet-0abc"], securityGroupIds: [""] } },
      "vpcConfig.securityGroupIds",
    ],
    [
      "a subnet id longer than 32 characters",
      { vpcConfig: { subnetIds: [`subnet-${"a".repeat(26)}`], securityGroupIds: ["sg-0def"] } },
      "vpcConfig.subnetIds",
    ],
    [
      "six security groups (at most 5)",
      { vpcConfig: { subnetIds: ["subnet-0abc"], securityGroupIds: ["a", "b", "c", "d", "e", "f"] } },
      "vpcConfig.securityGroupIds",
    ],
    ["a tag key with a comma", { tags: [{ key: "team,name", value: "ml" }] }, "tags.1.member.key"],
    ["an empty tag key", { tags: [{ key: "", value: "ml" }] }, "tags.1.member.key"],
    ["a tag key of 129 characters", { tags: [{ key: "k".repeat(129), value: "ml" }] }, "tags.1.member.key"],
    ["a tag value with a semicolon", { tags: [{ key: "team", value: "ml;ops" }] }, "tags.1.member.value"],
    ["a tag value of 257 characters", { tags: [{ key: "team", value: "v".repeat(257) }] }, "tags.1.member.value"],
    ["201 tags", { tags: Array.from({ length: 201 }, (_, index) => ({ key: `k${index}`, value: "v" })) }, "tags"],
  ])("rejects %s with a ValidationException", async (_label, overrides, field) => {
    const error = await failureOf(client.send(new CreateModelInvocationJobCommand(createInput(overrides))));

    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(`'${field}'`);
  });

  it.each<[string, Partial<CreateModelInvocationJobCommandInput>]>([
    [
      "a bucket name with dots and dashes",
      { outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://my.batch-bucket-1/" } } },
    ],
    ["a bucket alone, without a prefix", { inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://my-batch-bucket" } } }],
    [
      "32-character subnet and security-group ids, 16 subnets and 5 groups",
      {
        vpcConfig: {
          subnetIds: Array.from({ length: 16 }, (_, index) => `subnet-${String(index).padStart(25, "0")}`),
          securityGroupIds: ["sg-1", "sg-2", "sg-3", "sg-4", `sg-${"f".repeat(29)}`],
        },
      },
    ],
    [
      "tags at their limits: a 128-character key, an empty value, spaces and symbols, 200 tags",
      {
        tags: [
          { key: "k".repeat(128), value: "" },
          { key: "cost center", value: "ml/ops:team=a+b@c_d.e-f" },
          ...Array.from({ length: 198 }, (_, index) => ({ key: `k${index}`, value: "v".repeat(256) })),
        ],
      },
    ],
  ])("accepts %s", async (_label, overrides) => {
    const created = await client.send(new CreateModelInvocationJobCommand(createInput(overrides)));

    expect(created.jobArn).toMatch(/:model-invocation-job\/[a-z0-9]{12}$/);
  });

  it("answers ServiceQuotaExceededException once the open-job quota is used up", async () => {
    // Prepare
    const limited = await BedrockEmulator.start({ clock: new ManualClock(NOW), maxOpenJobs: 1 });
    const limitedClient = clientFor(limited);
    await limitedClient.send(new CreateModelInvocationJobCommand(createInput()));

    // Act
    const error = await failureOf(limitedClient.send(new CreateModelInvocationJobCommand(createInput())));
    limitedClient.destroy();
    await limited.stop();

    // Assess
    expect(error.name).toBe("ServiceQuotaExceededException");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe("StopModelInvocationJob", () => {
  let emulator: BedrockEmulator;
  let client: BedrockClient;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    emulator = await BedrockEmulator.start({ clock, lifecycle: { stopDelayMs: 45_000 } });
    client = clientFor(emulator);
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it("moves an InProgress job to Stopping, then to Stopped after the stop delay, keeping its counts", async () => {
    // Prepare
    const { jobArn = "" } = emulator.addJob({
      jobName: "stop-me",
      status: "InProgress",
      plan: { runMs: HOUR, totalRecords: 600, progressIntervalMs: 60_000 },
    });
    clock.advance(20 * 60_000);

    // Act
    await client.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));
    const stopping = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    clock.advance(45_000);
    const stopped = await client.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));

    // Assess
    expect(stopping).toMatchObject({ status: "Stopping", processedRecordCount: 200, totalRecordCount: 600 });
    expect(stopping.lastModifiedTime).toEqual(new Date(NOW.getTime() + 20 * 60_000));
    expect(stopping.endTime).toBeUndefined();
    expect(stopped).toMatchObject({
      status: "Stopped",
      processedRecordCount: 200,
      endTime: clock.now(),
      lastModifiedTime: clock.now(),
    });
  });

  it("answers a ValidationException for a job that already finished", async () => {
    const { jobArn = "" } = emulator.addJob({ status: "Completed", submitTime: new Date(NOW.getTime() - HOUR) });

    const error = await failureOf(client.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn })));

    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain("State was: Completed");
  });

  it("answers a ValidationException for a job that is already stopping", async () => {
    const { jobArn = "" } = emulator.addJob({ status: "Scheduled" });
    await client.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));

    const error = await failureOf(client.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn })));

    expect(error.name).toBe("ValidationException");
    expect(error.message).toContain("State was: Stopping");
  });

  it("answers ResourceNotFoundException 404 for an unknown job", async () => {
    const error = await failureOf(client.send(new StopModelInvocationJobCommand({ jobIdentifier: "zzzzzzzzzzzz" })));

    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it("rejects a malformed jobIdentifier with a ValidationException", async () => {
    const error = await failureOf(client.send(new StopModelInvocationJobCommand({ jobIdentifier: "job-1" })));

    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});
