import { describe, expect, it } from "vitest";
import { changedSince, diffJobs, recordOf } from "../../src/domain/diff";
import type { SnapshotRecord } from "../../src/domain/snapshot";
import { isTerminal, KNOWN_STATUSES, progressOf } from "../../src/domain/status";
import { aJob, aRecord, at, jobArnOf, minutes } from "../support/factories";

const record = (id: string, overrides: Partial<SnapshotRecord> = {}): SnapshotRecord =>
  aRecord(id, { status: "Submitted", submitTime: at(-minutes(30)), lastModifiedTime: at(-minutes(20)), ...overrides });

const snapshotOf = (...records: SnapshotRecord[]): Map<string, SnapshotRecord> =>
  new Map(records.map((entry) => [entry.jobArn, entry]));

const pairs = KNOWN_STATUSES.flatMap((previous) => KNOWN_STATUSES.map((current) => ({ previous, current })));

describe("diffJobs", () => {
  it.each(pairs)("decides a recorded $previous job now seen $current", ({ previous, current }) => {
    // Prepare
    const snapshot = snapshotOf(record("a", { status: previous, lastModifiedTime: at(-minutes(20)) }));
    const job = aJob("a", { status: current, lastModifiedTime: at(-minutes(1)) });

    // Act
    const { transitions, skipped } = diffJobs(snapshot, [job]);

    // Assess
    if (previous === current) {
      expect(transitions).toEqual([]);
      expect(skipped).toEqual([]);
    } else if (isTerminal(previous)) {
      expect(transitions).toEqual([]);
      expect(skipped).toEqual([{ jobArn: job.jobArn, reason: "terminal-already-announced" }]);
    } else if (progressOf(current) < progressOf(previous)) {
      // Never backwards, even with a newer lastModifiedTime.
      expect(transitions).toEqual([]);
      expect(skipped).toEqual([{ jobArn: job.jobArn, reason: "backwards" }]);
    } else {
      expect(transitions).toEqual([{ job, previousStatus: previous }]);
      expect(skipped).toEqual([]);
    }
  });

  it("covers all 100 status pairs in the table above", () => {
    expect(pairs).toHaveLength(100);
    expect(new Set(pairs.map(({ previous, current }) => `${previous}>${current}`)).size).toBe(100);
  });

  it.each(KNOWN_STATUSES)("announces a job seen for the first time in %s with previousStatus null", (status) => {
    // Prepare
    const job = aJob("a", { status });

    // Act
    const { transitions, skipped } = diffJobs(new Map(), [job]);

    // Assess
    expect(transitions).toEqual([{ job, previousStatus: null }]);
    expect(skipped).toEqual([]);
  });

  it("collapses several changes between two polls into one transition from the recorded status", () => {
    // Prepare: recorded Submitted; meanwhile the job went Validating → Scheduled → InProgress → Completed.
    const snapshot = snapshotOf(record("a", { status: "Submitted" }));
    const job = aJob("a", { status: "Completed", lastModifiedTime: at(0), endTime: at(0) });

    // Act
    const { transitions } = diffJobs(snapshot, [job]);

    // Assess
    expect(transitions).toEqual([{ job, previousStatus: "Submitted" }]);
  });

  it("skips an earlier status without a lastModifiedTime (optional in the API) as backwards", () => {
    // Prepare
    const snapshot = snapshotOf(record("a", { status: "InProgress", lastModifiedTime: at(-minutes(5)) }));
    const job = aJob("a", { status: "Scheduled", lastModifiedTime: undefined });

    // Act
    const { transitions, skipped } = diffJobs(snapshot, [job]);

    // Assess
    expect(transitions).toEqual([]);
    expect(skipped).toEqual([{ jobArn: job.jobArn, reason: "backwards" }]);
  });

  it("skips a sighting older than the recorded one as stale", () => {
    // Prepare
    const snapshot = snapshotOf(record("a", { status: "InProgress", lastModifiedTime: at(-minutes(5)) }));
    const job = aJob("a", { status: "Scheduled", lastModifiedTime: at(-minutes(10)) });

    // Act
    const { transitions, skipped } = diffJobs(snapshot, [job]);

    // Assess
    expect(transitions).toEqual([]);
    expect(skipped).toEqual([{ jobArn: job.jobArn, reason: "stale" }]);
  });

  it("announces a sighting with the same lastModifiedTime as the record (not older, so not stale)", () => {
    // Prepare
    const snapshot = snapshotOf(record("a", { status: "Scheduled", lastModifiedTime: at(-minutes(5)) }));
    const job = aJob("a", { status: "InProgress", lastModifiedTime: at(-minutes(5)) });

    // Act
    const { transitions } = diffJobs(snapshot, [job]);

    // Assess
    expect(transitions).toEqual([{ job, previousStatus: "Scheduled" }]);
  });

  it("announces a change when either side has no lastModifiedTime to compare", () => {
    // Prepare
    const snapshot = snapshotOf(
      record("a", { status: "Scheduled", lastModifiedTime: undefined }),
      record("b", { status: "Scheduled" }),
    );
    const jobs = [
      aJob("a", { status: "InProgress", lastModifiedTime: at(-minutes(50)) }),
      aJob("b", { status: "InProgress", lastModifiedTime: undefined }),
    ];

    // Act
    const { transitions } = diffJobs(snapshot, jobs);

    // Assess
    expect(transitions.map((transition) => transition.previousStatus)).toEqual(["Scheduled", "Scheduled"]);
  });

  it("treats a malformed record as no record at all: the job is announced as first seen", () => {
    // Prepare: the row says Completed, but it could not be trusted.
    const snapshot = new Map([[jobArnOf("a"), { jobArn: jobArnOf("a"), malformed: "row version 2 is not 1" }]]);
    const job = aJob("a", { status: "Completed" });

    // Act
    const { transitions, skipped } = diffJobs(snapshot, [job]);

    // Assess
    expect(transitions).toEqual([{ job, previousStatus: null }]);
    expect(skipped).toEqual([]);
  });

  it("carries an unknown future status through as the current status without crashing", () => {
    // Prepare
    const snapshot = snapshotOf(record("a", { status: "InProgress" }));
    const job = aJob("a", { status: "Archived", lastModifiedTime: at(0) });

    // Act
    const { transitions } = diffJobs(snapshot, [job]);

    // Assess
    expect(transitions).toEqual([{ job, previousStatus: "InProgress" }]);
  });

  it("treats an unknown recorded status as open, so a later change is still announced", () => {
    // Prepare
    const snapshot = snapshotOf(record("a", { status: "Archived" }));
    const job = aJob("a", { status: "Completed", lastModifiedTime: at(0) });

    // Act
    const { transitions, skipped } = diffJobs(snapshot, [job]);

    // Assess
    expect(transitions).toEqual([{ job, previousStatus: "Archived" }]);
    expect(skipped).toEqual([]);
  });

  it("announces nothing for an unknown status that has not changed", () => {
    // Prepare
    const snapshot = snapshotOf(record("a", { status: "Archived" }));

    // Act
    const result = diffJobs(snapshot, [aJob("a", { status: "Archived" })]);

    // Assess
    expect(result).toEqual({ transitions: [], skipped: [] });
  });

  it("announces nothing when no job changed", () => {
    // Prepare
    const snapshot = snapshotOf(record("a", { status: "InProgress" }), record("b", { status: "Completed" }));
    const jobs = [aJob("a", { status: "InProgress" }), aJob("b", { status: "Completed" })];

    // Act
    const result = diffJobs(snapshot, jobs);

    // Assess
    expect(result).toEqual({ transitions: [], skipped: [] });
  });

  it("decides each job of a mixed batch on its own", () => {
    // Prepare
    const snapshot = snapshotOf(
      record("changed", { status: "InProgress" }),
      record("same", { status: "InProgress" }),
      record("done", { status: "Failed" }),
    );
    const jobs = [
      aJob("changed", { status: "Completed", lastModifiedTime: at(0) }),
      aJob("same", { status: "InProgress" }),
      aJob("done", { status: "InProgress" }),
      aJob("new", { status: "Submitted" }),
    ];

    // Act
    const { transitions, skipped } = diffJobs(snapshot, jobs);

    // Assess
    expect(transitions.map((transition) => [transition.job.jobArn, transition.previousStatus])).toEqual([
      [jobArnOf("changed"), "InProgress"],
      [jobArnOf("new"), null],
    ]);
    expect(skipped).toEqual([{ jobArn: jobArnOf("done"), reason: "terminal-already-announced" }]);
  });
});

describe("changedSince", () => {
  const lookBackStart = at(-minutes(60));
  const jobs = [
    aJob("old", { status: "InProgress", submitTime: at(-minutes(600)), lastModifiedTime: at(-minutes(61)) }),
    aJob("edge", { status: "Completed", submitTime: at(-minutes(120)), lastModifiedTime: lookBackStart }),
    aJob("recent", { status: "Failed", submitTime: at(-minutes(90)), lastModifiedTime: at(-minutes(5)) }),
    aJob("nomod", { status: "Submitted", submitTime: at(-minutes(10)), lastModifiedTime: undefined }),
    aJob("oldnomod", { status: "Submitted", submitTime: at(-minutes(100)), lastModifiedTime: undefined }),
  ];

  it("selects only the jobs changed inside the look-back window (its start included)", () => {
    // Act
    const selected = changedSince(jobs, lookBackStart);

    // Assess
    expect(selected.map((job) => job.jobName)).toEqual(["job-edge", "job-recent", "job-nomod"]);
  });

  it("leaves out a job changed one millisecond before the window", () => {
    // Prepare
    const job = aJob("a", { lastModifiedTime: new Date(lookBackStart.getTime() - 1) });

    // Act
    const selected = changedSince([job], lookBackStart);

    // Assess
    expect(selected).toEqual([]);
  });
});

describe("recordOf", () => {
  it("keeps the ARN, status, submit time and last-modified time of the job", () => {
    // Prepare
    const job = aJob("a", {
      status: "InProgress",
      submitTime: at(-minutes(30)),
      lastModifiedTime: at(-minutes(2)),
      message: "secret failure details",
      records: { total: 10 },
    });

    // Act
    const result = recordOf(job);

    // Assess
    expect(result).toEqual({
      jobArn: job.jobArn,
      status: "InProgress",
      submitTime: at(-minutes(30)),
      lastModifiedTime: at(-minutes(2)),
    });
  });

  it("leaves lastModifiedTime out when the job has none", () => {
    // Act
    const result = recordOf(aJob("a", { lastModifiedTime: undefined }));

    // Assess
    expect(result).not.toHaveProperty("lastModifiedTime");
    expect(result).not.toHaveProperty("malformed");
  });
});
