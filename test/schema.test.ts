import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildEvent } from "../src/domain/event";
import type { BatchJob } from "../src/domain/job";
import { jobProgress } from "../src/domain/progress";
import { buildWarningEvent, eventJobWithProgress } from "../src/domain/warning-event";
import { DEFAULT_WARNING_THRESHOLDS, warningsFor } from "../src/domain/warnings";
import { busyDigest, DIGEST_CASES } from "../tools/samples/events";

const root = join(__dirname, "..");
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), "utf8"));

/** The job a sample's `job` block was built from. */
function jobOf(job: Record<string, unknown>): BatchJob {
  const time = (key: string): Date | undefined =>
    typeof job[key] === "string" ? new Date(job[key] as string) : undefined;
  return {
    jobArn: job.jobArn as string,
    jobName: job.jobName as string,
    modelId: job.modelId as string,
    status: job.status as string,
    message: (job.message as string | null) ?? undefined,
    submitTime: new Date(job.submitTime as string),
    lastModifiedTime: time("lastModifiedTime"),
    endTime: time("endTime"),
    jobExpirationTime: time("jobExpirationTime"),
    timeoutDurationInHours: job.timeoutDurationInHours as number,
    modelInvocationType: job.modelInvocationType as string,
    records: job.records as { total: number; processed: number; success: number; error: number },
    inputS3Uri: job.inputS3Uri as string,
    outputS3Uri: job.outputS3Uri as string,
  };
}

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

  it("matches the transition sample exactly when the code rebuilds it from the same job, with its progress", () => {
    // Prepare
    const sample = readJson("samples/event-failed.json") as { job: Record<string, unknown>; detectedAt: string };
    const job = jobOf(sample.job);
    const detectedAt = new Date(sample.detectedAt);

    // Act: as src/poll/deliver.ts publishes it (it was Validating before: no rate, so no throughput)
    const built = buildEvent({ previousStatus: "Validating", job }, detectedAt);
    const rebuilt = { ...built, job: eventJobWithProgress(job, jobProgress(job, detectedAt, undefined)) };

    // Assess
    expect(rebuilt).toEqual(sample);
  });

  it("matches the warning sample exactly when the rules and the code rebuild it from the same job", () => {
    // Prepare
    const sample = readJson("samples/event-warning.json") as { job: Record<string, unknown>; detectedAt: string };
    const job = jobOf(sample.job);
    const detectedAt = new Date(sample.detectedAt);

    // Act
    const { warnings } = warningsFor(job, undefined, detectedAt, DEFAULT_WARNING_THRESHOLDS);
    const rebuilt = warnings.map((warning) =>
      buildWarningEvent(job, warning, jobProgress(job, detectedAt, job.lastModifiedTime), detectedAt),
    );

    // Assess
    expect(rebuilt).toEqual([sample]);
  });

  it("rejects an event that breaks the contract", () => {
    const sample = readJson("samples/event-failed.json") as Record<string, unknown>;

    expect(validate({ ...sample, eventId: undefined })).toBe(false);
    expect(validate({ ...sample, schemaVersion: "2.0" })).toBe(false);
  });

  describe("early warnings (1.1)", () => {
    const warning = readJson("samples/event-warning.json") as Record<string, unknown> & {
      warning: Record<string, unknown>;
      job: Record<string, unknown>;
    };

    it("accepts a warning without previousStatus, and members a later version adds", () => {
      // Act / Assess
      expect("previousStatus" in warning).toBe(false);
      expect(validate({ ...warning, addedLater: true, warning: { ...warning.warning, detail: "x" } })).toBe(true);
    });

    it("rejects a warning that breaks the contract", () => {
      // Prepare
      const { warning: _dropped, ...withoutWarning } = warning;
      const { progress: _none, ...jobWithoutProgress } = warning.job;
      const broken = [
        withoutWarning,
        { ...warning, severity: "error" },
        { ...warning, job: jobWithoutProgress },
        { ...warning, warning: { ...warning.warning, kind: "Doomed" } },
        { ...warning, warning: { ...warning.warning, unit: "hours" } },
        { ...warning, warning: { ...warning.warning, threshold: "5" } },
        { ...warning, warning: { ...warning.warning, summary: "" } },
        { ...warning, job: { ...warning.job, progress: { ...(warning.job.progress as object), errorRate: 1.5 } } },
        { ...warning, job: { ...warning.job, progress: { ...(warning.job.progress as object), eta: "soon" } } },
      ];

      // Act / Assess
      for (const candidate of broken) expect(validate(candidate), JSON.stringify(candidate)).toBe(false);
    });

    it("still requires a transition's previousStatus, and checks its progress when present", () => {
      // Prepare
      const failed = readJson("samples/event-failed.json") as Record<string, unknown> & {
        job: Record<string, unknown>;
      };
      const { previousStatus: _dropped, ...withoutPrevious } = failed;
      const { progress: _none, ...jobWithoutProgress } = failed.job;

      // Act / Assess
      expect(validate(withoutPrevious)).toBe(false);
      expect(validate({ ...failed, job: { ...failed.job, progress: { processed: -1 } } })).toBe(false);
      expect(validate({ ...failed, job: jobWithoutProgress })).toBe(true);
    });
  });

  describe("the daily digest (1.1)", () => {
    type Digest = Record<string, unknown> & {
      totals: Record<string, unknown>;
      scopes: Array<Record<string, unknown>>;
    };
    const digest = readJson("samples/event-digest.json") as Digest;
    const [unreadable, busiest] = digest.scopes as [Record<string, unknown>, Record<string, unknown>];
    /** The sample with its second scope (prod/us-east-1, the busiest read one) changed. */
    const withScope = (changes: Record<string, unknown>): Digest => ({
      ...digest,
      scopes: [unreadable, { ...busiest, ...changes }, ...digest.scopes.slice(2)],
    });

    it("matches the digest sample exactly when the digest's rules rebuild it from the seeded day", () => {
      // Act: buildScopeDigest per scope, buildDigestEvent, then as toDigestMessage publishes it
      const rebuilt = DIGEST_CASES.digest;

      // Assess
      expect(rebuilt).toEqual(digest);
    });

    it("shows in the README an excerpt that is the sample with one of its scopes", () => {
      // Prepare
      const readme = readFileSync(join(root, "README.md"), "utf8");
      const section = readme.slice(readme.indexOf("### The daily digest (`DailyDigest`"));
      const excerpt = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(section)?.[1] ?? "null") as Digest;

      // Act
      const shown = digest.scopes.find((scope) => scope.scope === excerpt.scopes[0]?.scope);

      // Assess
      expect(excerpt).toEqual({ ...digest, scopes: [shown] });
    });

    it("accepts every digest the code builds: a seeded day, an empty day, and a busy one, with no job at all", () => {
      // Prepare
      const built = [...Object.values(DIGEST_CASES), busyDigest()];

      // Act / Assess
      for (const event of built) {
        expect("job" in event).toBe(false);
        expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
      }
      expect(validate({ ...digest, addedLater: true, totals: { ...digest.totals, addedLater: 1 } })).toBe(true);
    });

    it("rejects a digest that breaks the contract", () => {
      // Prepare
      const { totals: _totals, ...withoutTotals } = digest;
      const { failureReasons: _reasons, ...scopeWithoutReasons } = busiest;
      const reasons = busiest.failureReasons as Array<Record<string, unknown>>;
      const open = busiest.open as Array<Record<string, unknown>>;
      const broken = [
        withoutTotals,
        { ...digest, scopesOmitted: -1 },
        { ...digest, severity: "loud" },
        { ...digest, period: { ...(digest.period as object), to: "tomorrow" } },
        { ...digest, totals: { ...digest.totals, open: "3" } },
        { ...digest, totals: { ...digest.totals, finished: { Completed: 1.5 } } },
        { ...digest, scopes: [unreadable, scopeWithoutReasons] },
        withScope({ unavailable: 42 }),
        withScope({ warnings: { HighErrorRate: -1 } }),
        withScope({ failureReasons: [{ ...reasons[0], count: 0 }] }),
        withScope({ failureReasons: [{ ...reasons[0], example: { jobName: "x" } }] }),
        withScope({ open: [{ ...open[0], errorRate: 2 }] }),
        withScope({ expired: [{ jobName: "x", jobArn: "y", submitTime: "yesterday" }] }),
        withScope({ models: [{ modelId: "", finished: {}, recordsProcessed: 0, recordsFailed: 0 }] }),
      ];

      // Act / Assess
      for (const candidate of broken) expect(validate(candidate), JSON.stringify(candidate)).toBe(false);
    });

    it("still requires the job of a transition and of a warning, now that the digest has none", () => {
      // Prepare
      const { job: _job, ...failedWithoutJob } = readJson("samples/event-failed.json") as Record<string, unknown>;
      const { job: _none, ...warningWithoutJob } = readJson("samples/event-warning.json") as Record<string, unknown>;

      // Act / Assess
      expect(validate(failedWithoutJob)).toBe(false);
      expect(validate(warningWithoutJob)).toBe(false);
      expect(validate({ ...failedWithoutJob, type: "DailyDigest" })).toBe(false);
    });
  });
});
