import { describe, expect, it } from "vitest";
import type { BatchJob } from "../../src/domain/job";
import { warningEventIdOf } from "../../src/domain/warning-event";
import { DEFAULT_WARNING_THRESHOLDS } from "../../src/domain/warnings";
import { runPoll } from "../../src/poll/run-poll";
import { aJob, at, minutes, pollOptions } from "../support/factories";
import { FakeJobSource, fakeDeliveryDeps } from "../support/fakes";

const HOUR = minutes(60);

/** A poller with the deployed warning thresholds, on fakes; each `poll()` is one invocation. */
function setup(jobs: BatchJob[]) {
  const { clock, diagnostics, snapshot, publisher, deps: delivery } = fakeDeliveryDeps();
  const source = new FakeJobSource(jobs);
  const deps = { ...delivery, jobs: source, options: pollOptions({ warnings: DEFAULT_WARNING_THRESHOLDS }) };
  let count = 0;
  const poll = () => {
    count++;
    return runPoll(deps, { pollId: `poll-${count}`, deadline: new Date(clock.now().getTime() + minutes(1)) });
  };
  const warningsSent = () =>
    publisher.sent
      .filter((message) => message.attributes.eventType === "JobWarning")
      .map((message) => message.attributes.warningKind);
  return { clock, diagnostics, snapshot, publisher, source, poll, warningsSent };
}

/** Queued 23 h 50 min ago: StuckInStatus (Scheduled ≥ 24 h) is due in 10 minutes. */
const queued = () =>
  aJob("queued", {
    status: "Scheduled",
    submitTime: at(-24 * HOUR),
    lastModifiedTime: at(-(23 * HOUR + minutes(50))),
    jobExpirationTime: at(6 * 24 * HOUR),
    timeoutDurationInHours: 168,
  });

describe("early warnings in the poll", () => {
  it("warns nothing at the baseline, then warns what already held at the next poll", async () => {
    // Prepare: the job has been queued 26 h already when the notifier starts watching.
    const job = { ...queued(), lastModifiedTime: at(-26 * HOUR) };
    const { poll, clock, warningsSent, snapshot } = setup([job]);

    // Act
    const baseline = await poll();
    clock.advance(minutes(5));
    const next = await poll();

    // Assess
    expect(baseline).toMatchObject({ outcome: "baseline", warnings: 0 });
    expect(next).toMatchObject({ outcome: "delivered", warnings: 1, warningsPublished: 1, warningsCommitted: 1 });
    expect(warningsSent()).toEqual(["StuckInStatus"]);
    expect(snapshot.rows.get(job.jobArn)?.record).toMatchObject({ warned: ["StuckInStatus"] });
  });

  it("fires once at its threshold and not below, and never again for the job", async () => {
    // Prepare
    const { poll, clock, warningsSent, publisher, snapshot } = setup([queued()]);
    await poll();
    clock.advance(minutes(5));

    // Act: 23 h 55 min, then 24 h 0 min, then 12 h later (before the daily deep reconciliation, which writes).
    const below = await poll();
    clock.advance(minutes(5));
    const atThreshold = await poll();
    clock.advance(12 * HOUR);
    const writesBefore = snapshot.writes.length;
    const later = await poll();

    // Assess
    expect(below.warnings).toBe(0);
    expect(atThreshold.warningsPublished).toBe(1);
    expect(later).toMatchObject({ outcome: "quiet", warnings: 0 });
    expect(snapshot.writes.slice(writesBefore)).toEqual([]);
    expect(warningsSent()).toEqual(["StuckInStatus"]);
    expect(publisher.sent[0]?.id).toBe(warningEventIdOf(queued().jobArn, "StuckInStatus"));
  });

  it("writes nothing and sends nothing in a quiet poll where no warning is due", async () => {
    // Prepare
    const { poll, clock, snapshot, publisher } = setup([queued()]);
    await poll();
    clock.advance(minutes(5));
    const writesBefore = snapshot.writes.length;

    // Act
    const report = await poll();

    // Assess
    expect(report).toMatchObject({ outcome: "quiet", warnings: 0, transitions: 0 });
    expect(snapshot.writes.slice(writesBefore)).toEqual([]);
    expect(publisher.calls).toBe(0);
  });

  it("sends a warning again, with the same eventId, when the poll died after SNS accepted it", async () => {
    // Prepare: the first attempt's record of the warning fails (the poll dies between publish and commit).
    const { poll, clock, snapshot, publisher, warningsSent } = setup([queued()]);
    await poll();
    clock.advance(minutes(15));
    const record = snapshot.recordWarning.bind(snapshot);
    snapshot.recordWarning = async () => {
      throw new Error("the invocation died");
    };
    const crashed = await poll().catch((error: unknown) => error);
    snapshot.recordWarning = record;
    snapshot.lease = undefined;
    clock.advance(minutes(5));

    // Act
    await poll();
    clock.advance(minutes(5));
    await poll();

    // Assess: one re-send, same id; then never again.
    expect(crashed).toBeInstanceOf(Error);
    expect(warningsSent()).toEqual(["StuckInStatus", "StuckInStatus"]);
    expect(new Set(publisher.sent.map((message) => message.id)).size).toBe(1);
  });

  it("sends the transition, not a warning of the status the job has left", async () => {
    // Prepare
    const job = queued();
    const { poll, clock, source, warningsSent, publisher } = setup([job]);
    await poll();
    clock.advance(minutes(15));
    source.update(job.jobArn, { status: "InProgress", lastModifiedTime: at(-minutes(1), clock.now()) });

    // Act
    const report = await poll();

    // Assess
    expect(report).toMatchObject({ transitions: 1, published: 1, warnings: 0 });
    expect(warningsSent()).toEqual([]);
    expect(publisher.sent.map((message) => message.attributes.status)).toEqual(["InProgress"]);
  });

  it("skips and counts a job whose data cannot be trusted, and warns nothing for it", async () => {
    // Prepare: more processed than the total, for hours, with nothing that would be fine data's warning.
    const job = aJob("bad", {
      status: "InProgress",
      submitTime: at(-10 * HOUR),
      lastModifiedTime: at(-5 * HOUR),
      jobExpirationTime: at(minutes(30)),
      records: { total: 10, processed: 400, success: 0, error: 400 },
    });
    const { poll, clock, diagnostics, warningsSent } = setup([job]);
    await poll();
    clock.advance(minutes(5));

    // Act
    await poll();

    // Assess
    expect(warningsSent()).toEqual([]);
    expect(diagnostics.warnings).toContainEqual({
      kind: "warning-input-skipped",
      details: { jobArn: job.jobArn, reason: "more records processed than the total" },
    });
  });

  it("computes no warning at all without thresholds (warnings off)", async () => {
    // Prepare
    const { clock, snapshot, publisher, deps: delivery } = fakeDeliveryDeps();
    const deps = {
      ...delivery,
      jobs: new FakeJobSource([{ ...queued(), lastModifiedTime: at(-30 * HOUR) }]),
      options: pollOptions(),
    };
    const invocation = () => ({ pollId: "p", deadline: new Date(clock.now().getTime() + minutes(1)) });
    await runPoll(deps, invocation());
    clock.advance(minutes(5));

    // Act
    const report = await runPoll(deps, invocation());

    // Assess
    expect(report.warnings).toBe(0);
    expect(publisher.calls).toBe(0);
    expect(snapshot.writes.filter((write) => write.startsWith("recordWarning"))).toEqual([]);
  });
});
