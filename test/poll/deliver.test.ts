import { describe, expect, it } from "vitest";
import { eventIdOf } from "../../src/domain/event";
import type { SnapshotRecord } from "../../src/domain/snapshot";
import type { Transition } from "../../src/domain/transition";
import { DEADLINE_MARGIN_MS, deliver, NO_DELIVERY } from "../../src/poll/deliver";
import { aJob, at, jobArnOf, minutes } from "../support/factories";
import { fakeDeliveryDeps } from "../support/fakes";

function setup() {
  const { clock, diagnostics, snapshot, publisher, deps } = fakeDeliveryDeps();
  const invocation = { pollId: "poll-1", deadline: at(minutes(1)) };
  return { clock, diagnostics, snapshot, publisher, deps, invocation };
}

/** `count` first sightings of new Submitted jobs. */
const newJobs = (count: number): Transition[] =>
  Array.from({ length: count }, (_, index) => ({
    job: aJob(`n${index}`, { status: "Submitted", lastModifiedTime: at(-minutes(2)) }),
    previousStatus: null,
  }));

describe("deliver", () => {
  it("publishes in chunks of 10, commits every accepted transition and counts it all", async () => {
    // Prepare
    const { deps, invocation, publisher, snapshot } = setup();

    // Act
    const { counts: report, undelivered } = await deliver(deps, invocation, newJobs(23), new Map());

    // Assess
    expect(undelivered).toEqual([]);
    expect(publisher.calls).toBe(3);
    expect(report).toEqual({
      transitions: 23,
      published: 23,
      publishFailed: 0,
      committed: 23,
      deferred: 0,
      maxLagSeconds: 120,
    });
    expect(snapshot.rows.size).toBe(23);
  });

  it("sends events built at the current time, one message per transition, keyed by event id", async () => {
    // Prepare
    const { deps, invocation, publisher, clock } = setup();
    clock.advance(1234);
    const transition: Transition = { job: aJob("a", { status: "Completed" }), previousStatus: "InProgress" };

    // Act
    await deliver(deps, invocation, [transition], new Map());

    // Assess
    const [event] = publisher.sentEvents();
    expect(publisher.sent[0]?.id).toBe(eventIdOf(jobArnOf("a"), "InProgress", "Completed"));
    expect(event).toMatchObject({ eventId: publisher.sent[0]?.id, detectedAt: at(1234).toISOString() });
  });

  it("commits against the previous record it was given, so a row changed meanwhile is not overwritten", async () => {
    // Prepare: the row moved on to InProgress after the caller read Scheduled.
    const { deps, invocation, snapshot, diagnostics } = setup();
    const job = aJob("a", { status: "Completed" });
    const read: SnapshotRecord = { jobArn: job.jobArn, status: "Scheduled", submitTime: job.submitTime };
    snapshot.seed({ ...read, status: "InProgress" });

    // Act
    const { counts: report, undelivered } = await deliver(
      deps,
      invocation,
      [{ job, previousStatus: "Scheduled" }],
      new Map([[job.jobArn, read]]),
    );

    // Assess: published (SNS accepted it) but not committed; a warning says why.
    expect(undelivered).toEqual([]);
    expect(report).toMatchObject({ published: 1, committed: 0 });
    expect(snapshot.statusOf(job.jobArn)).toBe("InProgress");
    expect(diagnostics.warnings).toEqual([{ kind: "commit-conflict", details: { jobArn: job.jobArn } }]);
  });

  it("returns the transitions SNS did not accept, and commits none of them", async () => {
    // Prepare
    const { deps, invocation, publisher, snapshot } = setup();
    const transitions = newJobs(4);
    const failing = transitions.filter((_, index) => index % 2 === 1);
    for (const { job } of failing) publisher.failingIds.add(eventIdOf(job.jobArn, null, job.status));

    // Act
    const { counts: report, undelivered } = await deliver(deps, invocation, transitions, new Map());

    // Assess
    expect(undelivered).toEqual(failing);
    expect(report).toMatchObject({ transitions: 4, published: 2, publishFailed: 2, committed: 2 });
    for (const { job } of failing) expect(snapshot.rows.has(job.jobArn)).toBe(false);
  });

  it("treats an outcome missing from the publisher's answer as a failure", async () => {
    // Prepare
    const { deps, invocation } = setup();
    const silent = {
      ...deps,
      publisher: {
        async *publish() {
          yield [];
        },
      },
    };

    // Act
    const { counts: report, undelivered } = await deliver(silent, invocation, newJobs(2), new Map());

    // Assess
    expect(undelivered).toHaveLength(2);
    expect(report).toMatchObject({ published: 0, publishFailed: 2, committed: 0 });
  });

  it("defers everything when the deadline is closer than the margin, without publishing", async () => {
    // Prepare
    const { deps, publisher, snapshot } = setup();
    const invocation = { pollId: "poll-1", deadline: at(DEADLINE_MARGIN_MS - 1) };
    const transitions = newJobs(3);

    // Act
    const { counts: report, undelivered } = await deliver(deps, invocation, transitions, new Map());

    // Assess
    expect(undelivered).toEqual(transitions);
    expect(report).toMatchObject({ transitions: 3, deferred: 3, published: 0 });
    expect(publisher.calls).toBe(0);
    expect(snapshot.writes).toEqual([]);
  });

  it("still publishes when exactly the margin is left", async () => {
    // Prepare
    const { deps, publisher } = setup();
    const invocation = { pollId: "poll-1", deadline: at(DEADLINE_MARGIN_MS) };

    // Act
    await deliver(deps, invocation, newJobs(1), new Map());

    // Assess
    expect(publisher.sent).toHaveLength(1);
  });

  it("checks the deadline before each chunk, deferring the rest once it comes near", async () => {
    // Prepare
    const { deps, invocation, publisher, clock } = setup();
    publisher.onPublish = () => clock.advance(30_000);
    const transitions = newJobs(25);

    // Act
    const { counts: report, undelivered } = await deliver(deps, invocation, transitions, new Map());

    // Assess: chunk 1 at 0 s, chunk 2 at 30 s, then 60 s is past the margin.
    expect(publisher.calls).toBe(2);
    expect(undelivered).toEqual(transitions.slice(20));
    expect(report).toMatchObject({ published: 20, committed: 20, deferred: 5 });
  });

  it("measures the lag from Bedrock's lastModifiedTime (or the submit time) to detection", async () => {
    // Prepare
    const { deps, invocation } = setup();
    const transitions: Transition[] = [
      { job: aJob("a", { lastModifiedTime: at(-minutes(3)) }), previousStatus: null },
      { job: aJob("b", { submitTime: at(-minutes(7)), lastModifiedTime: undefined }), previousStatus: null },
      { job: aJob("c", { lastModifiedTime: at(minutes(1)) }), previousStatus: null },
    ];

    // Act
    const { counts: report } = await deliver(deps, invocation, transitions, new Map());

    // Assess: the job modified "in the future" (clock skew) counts as no lag, not a negative one.
    expect(report.maxLagSeconds).toBe(7 * 60);
  });

  it("counts only its own delivery: each call starts from zero", async () => {
    // Prepare
    const { deps, invocation } = setup();
    await deliver(deps, invocation, newJobs(2), new Map());

    // Act
    const { counts } = await deliver(deps, invocation, newJobs(3).slice(2), new Map());

    // Assess
    expect(counts).toEqual({ ...NO_DELIVERY, transitions: 1, published: 1, committed: 1, maxLagSeconds: 120 });
  });

  it("does nothing for no transitions", async () => {
    // Prepare
    const { deps, invocation, publisher } = setup();

    // Act
    const { undelivered } = await deliver(deps, invocation, [], new Map());

    // Assess
    expect(undelivered).toEqual([]);
    expect(publisher.calls).toBe(0);
  });
});
