import { describe, expect, it } from "vitest";
import type { BatchJob } from "../../src/domain/job";
import { jobProgress } from "../../src/domain/progress";
import {
  DEFAULT_WARNING_THRESHOLDS as D,
  inStatusSince,
  type WarningKind,
  type WarningThresholds,
  warningsFor,
} from "../../src/domain/warnings";
import { aJob, at, minutes, T0 } from "../support/factories";

const HOUR = minutes(60);
const kinds = (job: BatchJob, firstSeen?: Date, thresholds: WarningThresholds = D): WarningKind[] =>
  warningsFor(job, firstSeen, T0, thresholds).warnings.map((warning) => warning.kind);

/** A job in `status` since `sinceMs` before T0 (both by Bedrock's lastModifiedTime and by its first sighting). */
const inStatus = (status: string, sinceMs: number, overrides: Partial<BatchJob> = {}): [BatchJob, Date] => {
  const since = at(-sinceMs);
  return [
    aJob("a", {
      status,
      submitTime: at(-sinceMs - minutes(5)),
      lastModifiedTime: since,
      jobExpirationTime: at(6 * 24 * HOUR),
      timeoutDurationInHours: 168,
      ...overrides,
    }),
    since,
  ];
};

describe("inStatusSince", () => {
  it("takes the earlier of lastModifiedTime and the first sighting", () => {
    const job = aJob("a", { lastModifiedTime: at(-minutes(90)) });
    expect(inStatusSince(job, at(-minutes(30)), T0)).toEqual(at(-minutes(90)));
    expect(inStatusSince(job, at(-minutes(120)), T0)).toEqual(at(-minutes(120)));
  });

  it("ignores a lastModifiedTime in the future, and uses the first sighting alone", () => {
    const job = aJob("a", { lastModifiedTime: at(minutes(10)) });
    expect(inStatusSince(job, at(-minutes(30)), T0)).toEqual(at(-minutes(30)));
  });
});

describe("StuckInStatus", () => {
  it.each([
    ["Submitted", 60],
    ["Validating", 120],
    ["Scheduled", 1440],
  ])("fires for %s at %i minutes and not a minute before", (status, limit) => {
    const [atLimit, since] = inStatus(status, minutes(limit));
    const [below, belowSince] = inStatus(status, minutes(limit - 1));
    expect(kinds(atLimit, since)).toContain("StuckInStatus");
    expect(kinds(below, belowSince)).not.toContain("StuckInStatus");
  });

  it("reports its threshold and what it observed, and reads as a sentence", () => {
    const [job, since] = inStatus("Scheduled", 26 * HOUR);
    const warning = warningsFor(job, since, T0, D).warnings.find((w) => w.kind === "StuckInStatus");
    expect(warning).toMatchObject({ unit: "minutes", threshold: 1440, observed: 1560 });
    expect(warning?.summary).toBe("In Scheduled for 26 h, longer than 24 h: it has not started yet.");
  });

  it("is off for a status whose threshold is 0", () => {
    const [job, since] = inStatus("Submitted", 5 * HOUR);
    const off = { ...D, stuckMinutes: { ...D.stuckMinutes, Submitted: 0 } };
    expect(kinds(job, since, off)).not.toContain("StuckInStatus");
  });
});

describe("ExpiryApproaching", () => {
  it("warns a 24-hour job at 6 h left (25% of its timeout), not on submission", () => {
    const submitted = aJob("a", {
      status: "Submitted",
      submitTime: at(-minutes(10)),
      lastModifiedTime: at(-minutes(10)),
      timeoutDurationInHours: 24,
      jobExpirationTime: at(24 * HOUR - minutes(10)),
    });
    const late = { ...submitted, jobExpirationTime: at(6 * HOUR - minutes(1)) };
    const notYet = { ...submitted, jobExpirationTime: at(6 * HOUR + minutes(1)) };
    expect(kinds(submitted)).not.toContain("ExpiryApproaching");
    expect(kinds(notYet)).not.toContain("ExpiryApproaching");
    expect(kinds(late)).toContain("ExpiryApproaching");
  });

  it("caps the lead at 24 h for a week-long job", () => {
    const [job, since] = inStatus("Scheduled", minutes(10), { jobExpirationTime: at(24 * HOUR - minutes(1)) });
    const [early, earlySince] = inStatus("Scheduled", minutes(10), { jobExpirationTime: at(24 * HOUR + minutes(1)) });
    expect(kinds(job, since)).toContain("ExpiryApproaching");
    expect(kinds(early, earlySince)).not.toContain("ExpiryApproaching");
  });

  it("never fires for a job that has started", () => {
    const [job, since] = inStatus("InProgress", minutes(10), { jobExpirationTime: at(minutes(30)) });
    expect(kinds(job, since)).not.toContain("ExpiryApproaching");
  });

  it("skips, and says why, a job without jobExpirationTime", () => {
    const [job, since] = inStatus("Submitted", minutes(10), { jobExpirationTime: undefined });
    const check = warningsFor(job, since, T0, D);
    expect(check.warnings).toEqual([]);
    expect(check.skipped).toEqual(["no jobExpirationTime: cannot tell how close expiry is"]);
  });
});

describe("HighErrorRate", () => {
  it("fires at 5% of at least 100 processed records, not at 4.9% nor below 100 records", () => {
    const [job, since] = inStatus("InProgress", minutes(30), {
      records: { total: 1000, processed: 100, success: 95, error: 5 },
    });
    const [rare] = inStatus("InProgress", minutes(30), {
      records: { total: 1000, processed: 1000, success: 951, error: 49 },
    });
    const [few] = inStatus("InProgress", minutes(30), {
      records: { total: 1000, processed: 99, success: 80, error: 19 },
    });
    expect(kinds(job, since)).toEqual(["HighErrorRate"]);
    expect(kinds(rare, since)).toEqual([]);
    expect(kinds(few, since)).toEqual([]);
  });
});

describe("NoProgress", () => {
  it("fires after 2 h running with nothing processed, not before, and not once records move", () => {
    const [stuck, since] = inStatus("InProgress", minutes(120), { records: { total: 500, processed: 0 } });
    const [early, earlySince] = inStatus("InProgress", minutes(119), { records: { total: 500, processed: 0 } });
    const [moving, movingSince] = inStatus("InProgress", minutes(180), { records: { total: 500, processed: 3 } });
    expect(kinds(stuck, since)).toEqual(["NoProgress"]);
    expect(kinds(early, earlySince)).toEqual([]);
    expect(kinds(moving, movingSince)).not.toContain("NoProgress");
  });
});

describe("MayNotFinish", () => {
  it("fires when the rate seen since the job started would finish after jobExpirationTime", () => {
    // 100 records in 2 h: 50/h; 900 left need 18 h; the job times out in 10 h.
    const [slow, since] = inStatus("InProgress", 2 * HOUR, {
      records: { total: 1000, processed: 100, success: 100, error: 0 },
      jobExpirationTime: at(10 * HOUR),
    });
    const [fine] = inStatus("InProgress", 2 * HOUR, {
      records: { total: 1000, processed: 100, success: 100, error: 0 },
      jobExpirationTime: at(20 * HOUR),
    });
    const warning = warningsFor(slow, since, T0, D).warnings.find((w) => w.kind === "MayNotFinish");
    expect(warning).toMatchObject({ unit: "minutes", threshold: 600, observed: 1080 });
    expect(kinds(fine, since)).toEqual([]);
  });

  it("waits an hour of running before judging the rate, and leaves nothing-processed to NoProgress", () => {
    const [young, youngSince] = inStatus("InProgress", minutes(59), {
      records: { total: 1000, processed: 1, success: 1, error: 0 },
      jobExpirationTime: at(HOUR),
    });
    const [idle, idleSince] = inStatus("InProgress", minutes(90), {
      records: { total: 1000, processed: 0 },
      jobExpirationTime: at(HOUR),
    });
    expect(kinds(young, youngSince)).toEqual([]);
    expect(kinds(idle, idleSince)).not.toContain("MayNotFinish");
  });

  it("makes no projection while the total is unknown (Bedrock reports 0 until it knows)", () => {
    const [job, since] = inStatus("InProgress", 3 * HOUR, {
      records: { total: 0, processed: 10, success: 10, error: 0 },
      jobExpirationTime: at(minutes(5)),
    });
    expect(kinds(job, since)).toEqual([]);
  });
});

describe("bad data never warns", () => {
  it.each([
    [
      "more processed than the total",
      { total: 10, processed: 20, success: 0, error: 20 },
      "more records processed than the total",
    ],
    ["negative counts", { total: 500, processed: 200, success: -1, error: 200 }, "record counts are negative"],
    [
      "more outcomes than processed",
      { total: 500, processed: 200, success: 150, error: 100 },
      "more records succeeded and failed than processed",
    ],
  ])("skips an InProgress job with %s, and says why", (_case, records, reason) => {
    const [job, since] = inStatus("InProgress", 5 * HOUR, { records, jobExpirationTime: at(minutes(1)) });
    const check = warningsFor(job, since, T0, D);
    expect(check.warnings).toEqual([]);
    expect(check.skipped).toEqual([reason]);
  });

  it("skips a job whose lastModifiedTime is in the future (clock skew)", () => {
    const [job] = inStatus("Submitted", 5 * HOUR, { lastModifiedTime: at(minutes(3)) });
    const check = warningsFor(job, at(-5 * HOUR), T0, D);
    expect(check).toEqual({ warnings: [], skipped: ["lastModifiedTime is in the future"] });
  });

  it("never warns a terminal job, whatever it looks like", () => {
    for (const status of ["Completed", "Failed", "Expired", "Stopped", "PartiallyCompleted"]) {
      const [job, since] = inStatus(status, 30 * HOUR, {
        records: { total: 1000, processed: 100, success: 0, error: 100 },
        jobExpirationTime: at(minutes(1)),
      });
      expect(kinds(job, since), status).toEqual([]);
    }
  });
});

describe("jobProgress", () => {
  it("gives processed/total, the error rate, the rate since the job started, and the ETA", () => {
    const job = aJob("a", { status: "InProgress", records: { total: 1000, processed: 250, success: 240, error: 10 } });
    const progress = jobProgress(job, T0, at(-2 * HOUR));
    expect(progress).toEqual({
      processed: 250,
      total: 1000,
      errorRate: 0.04,
      recordsPerHour: 125,
      eta: at(6 * HOUR),
    });
  });

  it("treats a total of 0 as unknown, and gives no ETA without a start", () => {
    const job = aJob("a", { status: "Validating", records: { total: 0, processed: 0, success: 0, error: 0 } });
    expect(jobProgress(job, T0)).toEqual({
      processed: 0,
      total: null,
      errorRate: null,
      recordsPerHour: null,
      eta: null,
    });
  });
});
