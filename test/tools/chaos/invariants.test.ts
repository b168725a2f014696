import { describe, expect, it } from "vitest";
import { buildEvent, type JobStatusEvent } from "../../../src/domain/event";
import { checkInvariants, type Delivery, type InvariantInput, type JobTruth } from "../../../tools/chaos/invariants";
import { aJob, jobArnOf, T0 } from "../../support/factories";

const arn = jobArnOf("alpha");
const truth: JobTruth = { jobArn: arn, jobName: "job-alpha", history: ["Submitted", "InProgress", "Completed"] };

const event = (previousStatus: string | null, status: string): JobStatusEvent =>
  buildEvent({ job: aJob("alpha", { status }), previousStatus }, T0);

const delivered = (step: number, previousStatus: string | null, status: string): Delivery => ({
  step,
  event: event(previousStatus, status),
});

const row = (status: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  pk: `job#${arn}`,
  v: 1,
  status,
  ...(status === "Completed" ? {} : { openShard: "open" }),
  ...extra,
});

const meta = (extra: Record<string, unknown> = {}) => ({ pk: "meta#poller", watermark: T0.toISOString(), ...extra });

const input = (overrides: Partial<InvariantInput>): InvariantInput => ({
  jobs: [truth],
  deliveries: [delivered(0, null, "Submitted"), delivered(1, "Submitted", "Completed")],
  crashWindows: new Set(),
  lostAnswerWindows: new Set(),
  rows: [row("Completed"), meta()],
  readAt: T0,
  ...overrides,
});

describe("the campaign's invariants", () => {
  it("accept a history whose changes were collapsed but all delivered once", () => {
    // Act
    const report = checkInvariants(input({}));

    // Assess
    expect(report).toEqual({
      violations: [],
      lost: 0,
      duplicates: 0,
      resentAfterCrash: 0,
      resentAfterLostAnswer: 0,
      duplicatesOutsideCrash: 0,
    });
  });

  it("report a job whose final status never reached the subscriber", () => {
    // Act
    const report = checkInvariants(input({ deliveries: [delivered(0, null, "InProgress")] }));

    // Assess
    expect(report.lost).toBe(1);
    expect(report.violations.join("\n")).toMatch(/lost: job-alpha ended Completed/);
  });

  it("report a delivery that goes backwards or names a status the job never had", () => {
    // Prepare
    const deliveries = [delivered(0, "Completed", "InProgress"), delivered(0, "Submitted", "Stopped")];

    // Act
    const report = checkInvariants(input({ deliveries: [...input({}).deliveries, ...deliveries] }));

    // Assess
    expect(report.violations).toHaveLength(2);
  });

  it("report an event whose id is not the id of its transition", () => {
    // Prepare
    const wrong = delivered(1, "Submitted", "Completed");
    wrong.event = { ...wrong.event, eventId: "00000000-0000-5000-a000-000000000000" };

    // Act
    const report = checkInvariants(input({ deliveries: [delivered(0, null, "Submitted"), wrong] }));

    // Assess
    expect(report.violations.join("\n")).toMatch(/not the id of that transition/);
  });

  it("allow a re-send with the same eventId after a crash window, and count it", () => {
    // Prepare
    const deliveries = [...input({}).deliveries, delivered(2, "Submitted", "Completed")];

    // Act
    const report = checkInvariants(input({ deliveries, crashWindows: new Set([1]) }));

    // Assess
    expect(report).toEqual({
      violations: [],
      lost: 0,
      duplicates: 1,
      resentAfterCrash: 1,
      resentAfterLostAnswer: 0,
      duplicatesOutsideCrash: 0,
    });
  });

  it("allow the copy SNS delivered twice in a round whose answer was lost, and count it apart from crashes", () => {
    // Prepare: the SDK sent the same batch again in step 1, so both copies arrive with that round.
    const deliveries = [...input({}).deliveries, delivered(1, "Submitted", "Completed")];

    // Act
    const report = checkInvariants(input({ deliveries, lostAnswerWindows: new Set([1]) }));

    // Assess
    expect(report).toEqual({
      violations: [],
      lost: 0,
      duplicates: 1,
      resentAfterCrash: 0,
      resentAfterLostAnswer: 1,
      duplicatesOutsideCrash: 0,
    });
  });

  it("report a same-round copy when no answer was lost in that round", () => {
    // Prepare
    const deliveries = [...input({}).deliveries, delivered(1, "Submitted", "Completed")];

    // Act
    const report = checkInvariants(input({ deliveries, lostAnswerWindows: new Set([0]) }));

    // Assess
    expect(report.duplicatesOutsideCrash).toBe(1);
    expect(report.violations.join("\n")).toMatch(/sent twice outside a crash window or a lost SNS answer/);
  });

  it("report a copy sent again without a crash before it", () => {
    // Prepare
    const deliveries = [...input({}).deliveries, delivered(2, "Submitted", "Completed")];

    // Act
    const report = checkInvariants(input({ deliveries, crashWindows: new Set([2]) }));

    // Assess
    expect(report.duplicatesOutsideCrash).toBe(1);
    expect(report.violations.join("\n")).toMatch(/sent twice outside a crash window/);
  });

  it("report one status reached announced under two eventIds", () => {
    // Prepare
    const deliveries = [...input({}).deliveries, delivered(2, "InProgress", "Completed")];

    // Act
    const report = checkInvariants(input({ deliveries }));

    // Assess
    expect(report.violations.join("\n")).toMatch(/reaching Completed was announced under 2 different eventIds/);
  });

  it("report a snapshot that disagrees with Bedrock, and a lease still held", () => {
    // Prepare
    const rows = [row("InProgress"), meta({ leaseOwner: "poll-1", leaseUntil: T0.getTime() + 1 })];

    // Act
    const report = checkInvariants(input({ rows }));

    // Assess
    expect(report.violations).toEqual([
      "snapshot: job-alpha is InProgress, Bedrock says Completed",
      "snapshot: job-alpha (Completed) has openShard=open",
      "snapshot: a lease is still held by poll-1",
    ]);
  });

  it("treat a lease that ran out as free, even if its attributes remain", () => {
    // Prepare
    const rows = [row("Completed"), meta({ leaseOwner: "poll-1", leaseUntil: T0.getTime() - 1 })];

    // Act
    const report = checkInvariants(input({ rows }));

    // Assess
    expect(report.violations).toEqual([]);
  });
});
