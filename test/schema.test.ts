import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildEvent } from "../src/domain/event";

const root = join(__dirname, "..");
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), "utf8"));

describe("the published event schema", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(readJson("schema/job-status-event.v1.json") as object);

  it.each(readdirSync(join(root, "samples")).filter((name) => name.startsWith("event-")))(
    "accepts the README sample %s, which is what the code builds today",
    (name) => {
      const sample = readJson(join("samples", name)) as Parameters<typeof validate>[0];

      expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it("matches the sample exactly when the code rebuilds it from the same job", () => {
    const sample = readJson("samples/event-failed.json") as { job: Record<string, unknown>; detectedAt: string };
    const job = sample.job;
    const rebuilt = buildEvent(
      {
        previousStatus: "Validating",
        job: {
          jobArn: job.jobArn as string,
          jobName: job.jobName as string,
          modelId: job.modelId as string,
          status: job.status as string,
          message: job.message as string,
          submitTime: new Date(job.submitTime as string),
          lastModifiedTime: new Date(job.lastModifiedTime as string),
          endTime: new Date(job.endTime as string),
          jobExpirationTime: new Date(job.jobExpirationTime as string),
          timeoutDurationInHours: job.timeoutDurationInHours as number,
          modelInvocationType: job.modelInvocationType as string,
          records: job.records as { total: number; processed: number; success: number; error: number },
          inputS3Uri: job.inputS3Uri as string,
          outputS3Uri: job.outputS3Uri as string,
        },
      },
      new Date(sample.detectedAt),
    );

    expect(rebuilt).toEqual(sample);
  });

  it("rejects an event that breaks the contract", () => {
    const sample = readJson("samples/event-failed.json") as Record<string, unknown>;

    expect(validate({ ...sample, eventId: undefined })).toBe(false);
    expect(validate({ ...sample, schemaVersion: "2.0" })).toBe(false);
  });
});
