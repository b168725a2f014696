import { describe, expect, it } from "vitest";
import type { DailyDigestEvent } from "../../src/domain/digest";
import type { JobStatusEvent } from "../../src/domain/event";
import type { JobWarningEvent } from "../../src/domain/warning-event";
import { MalformedEventError } from "../../src/errors";
import { parseNotifierEvent } from "../../src/notify/parse-event";
import { busyDigest, CASES, DIGEST_CASES, WARNING_CASES } from "../../tools/samples/events";

const problemsOf = (body: string): readonly string[] => {
  try {
    parseNotifierEvent(body);
  } catch (error) {
    if (error instanceof MalformedEventError) return error.problems;
    throw error;
  }
  return [];
};

describe("parseNotifierEvent", () => {
  it("accepts every event the poller builds, warnings included, and an unknown future status", () => {
    for (const event of Object.values(CASES)) {
      expect(parseNotifierEvent(JSON.stringify(event))).toEqual(event);
    }
  });

  it("accepts members a later 1.x version adds", () => {
    // Prepare
    const event = { ...CASES.completed, schemaVersion: "1.3", addedLater: { anything: true } };

    // Act
    const parsed = parseNotifierEvent(JSON.stringify(event));

    // Assess
    expect(parsed.schemaVersion).toBe("1.3");
  });

  it("names every problem by field, never by value", () => {
    // Prepare
    const body = JSON.stringify({
      ...CASES.completed,
      schemaVersion: "2.0",
      severity: "loud",
      job: { ...CASES.completed?.job, status: "", records: { total: -1, processed: null, success: null, error: 1.5 } },
    });

    // Act
    const problems = problemsOf(body);

    // Assess
    expect(problems).toEqual([
      "schemaVersion must be a 1.x version",
      "severity must be one of error, warning, info",
      "job.status must be a non-empty string",
      "job.records.total must be a whole number ≥ 0 or null",
      "job.records.error must be a whole number ≥ 0 or null",
    ]);
  });

  it("does not quote a body that is not JSON", () => {
    expect(problemsOf("{ secret reason")).toEqual(["the body is not JSON"]);
    expect(problemsOf("[1, 2]")).toEqual(["the body is not a JSON object"]);
  });

  it("tells a warning from a transition by its type", () => {
    // Prepare
    const body = JSON.stringify(WARNING_CASES["warning-high-error-rate"]);

    // Act
    const parsed = parseNotifierEvent(body);

    // Assess
    expect(parsed.type).toBe("JobWarning");
    expect(parsed.type === "JobWarning" && parsed.warning.kind).toBe("HighErrorRate");
  });

  it("names every problem of a warning by field, never by value", () => {
    // Prepare
    const warning = WARNING_CASES["warning-may-not-finish"];
    const body = JSON.stringify({
      ...warning,
      severity: "error",
      warning: { kind: "Doomed-secret", unit: "hours", threshold: "12", observed: Number.NaN, summary: "" },
      job: {
        ...warning?.job,
        progress: { processed: -1, total: 10, errorRate: 1.5, recordsPerHour: -3, eta: "soon-secret" },
      },
    });

    // Act
    const problems = problemsOf(body);

    // Assess
    expect(problems).toEqual([
      "severity must be one of warning",
      "warning.kind must be one of StuckInStatus, ExpiryApproaching, HighErrorRate, NoProgress, MayNotFinish",
      "warning.unit must be one of minutes, percent",
      "warning.threshold must be a number",
      "warning.observed must be a number",
      "warning.summary must be a non-empty string",
      "job.progress.processed must be a whole number ≥ 0 or null",
      "job.progress.errorRate must be a number from 0 to 1 or null",
      "job.progress.recordsPerHour must be a number ≥ 0 or null",
      "job.progress.eta must be a date-time or null",
    ]);
    expect(problems.join(" ")).not.toContain("secret");
  });

  it("refuses a warning without its warning object or its progress, and needs no previous status", () => {
    // Prepare
    const { warning: _dropped, ...withoutWarning } = WARNING_CASES["warning-no-progress"] as JobWarningEvent;
    const { progress: _none, ...jobWithoutProgress } = withoutWarning.job;

    // Act
    const problems = problemsOf(JSON.stringify({ ...withoutWarning, job: jobWithoutProgress }));

    // Assess
    expect(problems).toEqual(["warning must be an object", "job.progress is missing"]);
  });

  it("checks a transition's progress when it carries one", () => {
    // Prepare
    const completed = CASES.completed as JobStatusEvent;
    const body = JSON.stringify({ ...completed, job: { ...completed.job, progress: "fast" } });

    // Act / Assess
    expect(problemsOf(body)).toEqual(["job.progress must be an object"]);
    expect(completed.job.progress).toBeDefined();
    expect(parseNotifierEvent(JSON.stringify(completed))).toEqual(completed);
  });

  it("still requires a transition's previous status", () => {
    // Prepare
    const { previousStatus: _dropped, ...withoutPrevious } = CASES.completed as JobStatusEvent;

    // Act / Assess
    expect(problemsOf(JSON.stringify(withoutPrevious))).toEqual(["previousStatus must be a non-empty string or null"]);
  });

  describe("the daily digest", () => {
    const digest = DIGEST_CASES.digest as DailyDigestEvent;

    it("accepts every digest the digest function builds, which has no job", () => {
      for (const event of [...Object.values(DIGEST_CASES), busyDigest(3)]) {
        expect(parseNotifierEvent(JSON.stringify(event))).toEqual(event);
      }
    });

    it("tells the digest from a job's event by its type", () => {
      // Act
      const parsed = parseNotifierEvent(JSON.stringify(digest));

      // Assess
      expect(parsed.type).toBe("DailyDigest");
      expect("job" in parsed).toBe(false);
    });

    it("names every problem of a digest by field, never by value", () => {
      // Prepare
      const [unreadable, prodUs] = digest.scopes;
      const body = JSON.stringify({
        ...digest,
        severity: "secret-loud",
        period: { from: "secret-yesterday", to: digest.period.to },
        totals: { ...digest.totals, open: -1, finished: { Completed: "secret-3" } },
        scopesOmitted: null,
        scopes: [
          { ...unreadable, unavailable: 42 },
          {
            ...prodUs,
            warnings: { HighErrorRate: 1.5 },
            failureReasons: [{ reason: "", count: 2, example: "secret-example" }],
            expired: [{ jobName: "x", jobArn: "y", submitTime: "secret-time" }],
            open: [{ ...prodUs?.open[0], errorRate: 7, ageHours: -1 }],
            models: "secret-models",
          },
          "secret-scope",
        ],
      });

      // Act
      const problems = problemsOf(body);

      // Assess
      expect(problems).toEqual([
        "severity must be one of error, warning, info",
        "period.from must be a date-time",
        "totals.finished.Completed must be a whole number ≥ 0",
        "totals.open must be a whole number ≥ 0",
        "scopes[0].unavailable must be a non-empty string or null",
        "scopes[1].failureReasons[0].reason must be a non-empty string",
        "scopes[1].failureReasons[0].example must be an object",
        "scopes[1].expired[0].submitTime must be a date-time",
        "scopes[1].warnings.HighErrorRate must be a whole number ≥ 0",
        "scopes[1].open[0].ageHours must be a number ≥ 0",
        "scopes[1].open[0].errorRate must be a number from 0 to 1 or null",
        "scopes[1].models must be an array of at most 5000 items",
        "scopes[2] must be an object",
        "scopesOmitted must be a whole number ≥ 0",
      ]);
      expect(problems.join(" ")).not.toContain("secret");
    });

    it("refuses a digest without its sections, and a job's event without its job", () => {
      // Prepare
      const { totals: _totals, scopes: _scopes, ...bare } = digest;
      const { job: _job, ...transitionWithoutJob } = CASES.completed as JobStatusEvent;

      // Act / Assess
      expect(problemsOf(JSON.stringify(bare))).toEqual([
        "totals must be an object",
        "scopes must be an array of at most 5000 items",
      ]);
      expect(problemsOf(JSON.stringify(transitionWithoutJob))).toEqual(["job must be an object"]);
    });
  });
});
