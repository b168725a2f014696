import {
  AccessDeniedException,
  BedrockClient,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  type ModelInvocationJobSummary,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-bedrock";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { BedrockJobSource } from "../../src/adapters/bedrock";
import { BedrockAccessDeniedError, ListingError } from "../../src/errors";
import { RecordingDiagnostics } from "../support/fakes";

const bedrockMock = mockClient(BedrockClient);
const $metadata = {};

const arn = (id: string): string => `arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/${id.padEnd(12, "0")}`;

const summary = (id: string, overrides: Partial<ModelInvocationJobSummary> = {}): ModelInvocationJobSummary => ({
  jobArn: arn(id),
  jobName: `job-${id}`,
  modelId: "anthropic.claude-3-haiku-20240307-v1:0",
  roleArn: "arn:aws:iam::123456789012:role/batch",
  status: "InProgress",
  submitTime: new Date("2025-03-01T10:00:00.000Z"),
  lastModifiedTime: new Date("2025-03-01T10:05:00.000Z"),
  inputDataConfig: { s3InputDataConfig: { s3Uri: "s3://in/x.jsonl" } },
  outputDataConfig: { s3OutputDataConfig: { s3Uri: "s3://out/" } },
  ...overrides,
});

const listInputs = () => bedrockMock.commandCalls(ListModelInvocationJobsCommand).map((call) => call.args[0].input);

describe("BedrockJobSource", () => {
  let diagnostics: RecordingDiagnostics;
  let source: BedrockJobSource;

  beforeEach(() => {
    bedrockMock.reset();
    diagnostics = new RecordingDiagnostics();
    source = new BedrockJobSource(new BedrockClient({ region: "us-east-1" }), diagnostics);
  });

  describe("listSubmittedAfter", () => {
    it("lists by submit time, oldest first, in pages of 1000, following nextToken to the end", async () => {
      // Prepare
      const after = new Date("2025-03-01T09:00:00.000Z");
      bedrockMock
        .on(ListModelInvocationJobsCommand)
        .resolvesOnce({ invocationJobSummaries: [summary("a"), summary("b")], nextToken: "page-2" })
        .resolvesOnce({ invocationJobSummaries: [summary("c")], nextToken: "page-3" })
        .resolvesOnce({ invocationJobSummaries: [] });

      // Act
      const jobs = await source.listSubmittedAfter(after);

      // Assess
      expect(jobs.map((job) => job.jobName)).toEqual(["job-a", "job-b", "job-c"]);
      const base = { submitTimeAfter: after, sortBy: "CreationTime", sortOrder: "Ascending", maxResults: 1000 };
      expect(listInputs()).toEqual([base, { ...base, nextToken: "page-2" }, { ...base, nextToken: "page-3" }]);
      expect(source.calls).toBe(3);
    });

    it("makes one call for a listing without nextToken, and handles a page with no summaries member", async () => {
      // Prepare
      bedrockMock.on(ListModelInvocationJobsCommand).resolves({});

      // Act
      const jobs = await source.listSubmittedAfter(new Date(0));

      // Assess
      expect(jobs).toEqual([]);
      expect(source.calls).toBe(1);
    });
  });

  describe("listByStatus", () => {
    it("filters by status with statusEquals and the largest page", async () => {
      // Prepare
      bedrockMock
        .on(ListModelInvocationJobsCommand)
        .resolves({ invocationJobSummaries: [summary("a", { status: "Scheduled" })] });

      // Act
      const jobs = await source.listByStatus("Scheduled");

      // Assess
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ jobArn: arn("a"), status: "Scheduled" });
      expect(listInputs()).toEqual([{ statusEquals: "Scheduled", maxResults: 1000 }]);
    });
  });

  describe("getJob", () => {
    it("gets one job by its ARN", async () => {
      // Prepare
      bedrockMock
        .on(GetModelInvocationJobCommand)
        .resolves({ ...summary("a", { status: "Completed", totalRecordCount: 3 }), $metadata });

      // Act
      const job = await source.getJob(arn("a"));

      // Assess
      expect(job).toMatchObject({ jobArn: arn("a"), status: "Completed", records: { total: 3 } });
      expect(bedrockMock.commandCalls(GetModelInvocationJobCommand)[0]?.args[0].input).toEqual({
        jobIdentifier: arn("a"),
      });
      expect(source.calls).toBe(1);
    });

    it("returns undefined for a job Bedrock no longer knows", async () => {
      // Prepare
      bedrockMock
        .on(GetModelInvocationJobCommand)
        .rejects(new ResourceNotFoundException({ message: "Job not found", $metadata }));

      // Act
      const job = await source.getJob(arn("gone"));

      // Assess
      expect(job).toBeUndefined();
    });

    it("returns undefined and reports a job whose summary is invalid", async () => {
      // Prepare
      bedrockMock
        .on(GetModelInvocationJobCommand)
        .resolves({ ...summary("a"), modelId: undefined, $metadata } as never);

      // Act
      const job = await source.getJob(arn("a"));

      // Assess
      expect(job).toBeUndefined();
      expect(diagnostics.warnings).toEqual([
        { kind: "job-summary-invalid", details: { jobArn: arn("a"), reason: "missing or invalid modelId" } },
      ]);
    });
  });

  describe("errors", () => {
    it.each([
      ["ListModelInvocationJobs", (s: BedrockJobSource) => s.listByStatus("InProgress")],
      ["ListModelInvocationJobs", (s: BedrockJobSource) => s.listSubmittedAfter(new Date(0))],
      ["GetModelInvocationJob", (s: BedrockJobSource) => s.getJob(arn("a"))],
    ])("turns AccessDeniedException from %s into an actionable BedrockAccessDeniedError", async (operation, act) => {
      // Prepare
      const denied = new AccessDeniedException({ message: "User is not authorized", $metadata });
      bedrockMock.on(ListModelInvocationJobsCommand).rejects(denied);
      bedrockMock.on(GetModelInvocationJobCommand).rejects(denied);

      // Act
      const error = await act(source).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(BedrockAccessDeniedError);
      const message = (error as Error).message;
      expect(message).toContain(operation);
      expect(message).toContain("bedrock:ListModelInvocationJobs");
      expect(message).toContain("bedrock:GetModelInvocationJob");
      expect((error as Error).cause).toBe(denied);
    });

    it("lets other errors (throttling after the SDK's retries) through unchanged", async () => {
      // Prepare
      const throttled = new ThrottlingException({ message: "Rate exceeded", $metadata });
      bedrockMock.on(ListModelInvocationJobsCommand).rejects(throttled);

      // Act / Assess
      await expect(source.listByStatus("Submitted")).rejects.toBe(throttled);
    });

    it("rethrows a ValidationException on the first page: the request itself is wrong, not a token", async () => {
      // Prepare
      const invalid = new ValidationException({ message: "bad maxResults", $metadata });
      bedrockMock.on(ListModelInvocationJobsCommand).rejects(invalid);

      // Act / Assess
      await expect(source.listByStatus("Submitted")).rejects.toBe(invalid);
      expect(source.calls).toBe(1);
      expect(diagnostics.warnings).toEqual([]);
    });
  });

  describe("page tokens", () => {
    it("restarts the listing once from the first page when Bedrock rejects its page token", async () => {
      // Prepare
      bedrockMock
        .on(ListModelInvocationJobsCommand)
        .resolvesOnce({ invocationJobSummaries: [summary("a")], nextToken: "expired" })
        .rejectsOnce(new ValidationException({ message: "Invalid nextToken", $metadata }))
        .resolvesOnce({ invocationJobSummaries: [summary("a")], nextToken: "fresh" })
        .resolvesOnce({ invocationJobSummaries: [summary("b")] });

      // Act
      const jobs = await source.listByStatus("InProgress");

      // Assess
      expect(jobs.map((job) => job.jobArn)).toEqual([arn("a"), arn("b")]);
      expect(listInputs().map((input) => input.nextToken)).toEqual([undefined, "expired", undefined, "fresh"]);
      expect(diagnostics.warnings).toEqual([{ kind: "list-restarted", details: { reason: "page token rejected" } }]);
      expect(source.calls).toBe(4);
    });

    it("gives up with a ListingError when the page token is rejected again after the restart", async () => {
      // Prepare
      const rejected = new ValidationException({ message: "Invalid nextToken", $metadata });
      bedrockMock
        .on(ListModelInvocationJobsCommand)
        .resolvesOnce({ invocationJobSummaries: [summary("a")], nextToken: "t1" })
        .rejectsOnce(rejected)
        .resolvesOnce({ invocationJobSummaries: [summary("a")], nextToken: "t2" })
        .rejectsOnce(rejected);

      // Act
      const error = await source.listByStatus("InProgress").catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(ListingError);
      expect((error as Error).cause).toBe(rejected);
      expect(source.calls).toBe(4);
    });
  });

  describe("invalid summaries", () => {
    it("skips invalid summaries, keeps the valid ones and reports each without the failure message", async () => {
      // Prepare
      bedrockMock.on(ListModelInvocationJobsCommand).resolves({
        invocationJobSummaries: [
          summary("a"),
          { ...summary("b"), submitTime: undefined, message: "secret customer detail" } as never,
          { ...summary("c"), jobArn: undefined, message: "another secret" } as never,
          summary("d", { status: "Archived" as never }),
        ],
      });

      // Act
      const jobs = await source.listSubmittedAfter(new Date(0));

      // Assess
      expect(jobs.map((job) => [job.jobArn, job.status])).toEqual([
        [arn("a"), "InProgress"],
        [arn("d"), "Archived"],
      ]);
      expect(diagnostics.warnings).toEqual([
        { kind: "job-summary-invalid", details: { jobArn: arn("b"), reason: "missing or invalid submitTime" } },
        { kind: "job-summary-invalid", details: { jobArn: undefined, reason: "missing or invalid jobArn" } },
      ]);
      expect(JSON.stringify(diagnostics.warnings)).not.toMatch(/secret/);
    });
  });

  it("counts every page and every Get across operations", async () => {
    // Prepare
    bedrockMock
      .on(ListModelInvocationJobsCommand)
      .resolvesOnce({ invocationJobSummaries: [], nextToken: "n" })
      .resolves({ invocationJobSummaries: [] });
    bedrockMock.on(GetModelInvocationJobCommand).rejects(new ResourceNotFoundException({ message: "x", $metadata }));

    // Act
    await source.listSubmittedAfter(new Date(0));
    await source.listByStatus("Submitted");
    await source.getJob(arn("a"));

    // Assess
    expect(source.calls).toBe(4);
  });
});
