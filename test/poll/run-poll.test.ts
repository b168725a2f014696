import { describe, expect, it } from "vitest";
import type { FirstRunBehaviour } from "../../src/domain/diff";
import { eventIdOf } from "../../src/domain/event";
import type { BatchJob } from "../../src/domain/job";
import { announcedStatus } from "../../src/domain/snapshot";
import { ResourceMissingError } from "../../src/errors";
import { type PollReport, runPoll } from "../../src/poll/run-poll";
import { aJob, at, jobArnOf, minutes, pollOptions, T0 } from "../support/factories";
import { commitBeforeNextLease, FakeJobSource, type FakePublisher, fakeDeliveryDeps } from "../support/fakes";

/** A poller wired to in-memory fakes. Each `poll()` is one invocation with a one-minute deadline. */
function setup(options: { firstRun?: FirstRunBehaviour; lookBackMinutes?: number; jobs?: BatchJob[] } = {}) {
  const { clock, diagnostics, snapshot, publisher, deps: delivery } = fakeDeliveryDeps();
  const jobs = new FakeJobSource(options.jobs ?? []);
  const deps = {
    ...delivery,
    jobs,
    options: pollOptions({ firstRun: options.firstRun ?? "baseline", lookBackMinutes: options.lookBackMinutes ?? 60 }),
  };
  let count = 0;
  const poll = (): Promise<PollReport> => {
    count++;
    return runPoll(deps, { pollId: `poll-${count}`, deadline: new Date(clock.now().getTime() + minutes(1)) });
  };
  return { clock, diagnostics, jobs, snapshot, publisher, deps, poll };
}

/** The transitions announced so far, as "job: from -> to". */
const announced = (publisher: FakePublisher): string[] =>
  publisher
    .sentEvents()
    .map(
      (event) => `${event.job.jobArn.slice(-12).replace(/^0+/, "")}: ${event.previousStatus} -> ${event.job.status}`,
    );

// A small account: one job finished a while ago, one running for days, one queued 15 minutes ago.
const history = (): BatchJob[] => [
  aJob("done", { status: "Completed", submitTime: at(-minutes(50)), lastModifiedTime: at(-minutes(20)) }),
  aJob("running", { status: "InProgress", submitTime: at(-minutes(3 * 24 * 60)), lastModifiedTime: at(-minutes(600)) }),
  aJob("queued", { status: "Submitted", submitTime: at(-minutes(15)), lastModifiedTime: at(-minutes(15)) }),
];

/** Runs the first (baseline) poll and moves the clock five minutes on. */
async function afterBaseline(options: Parameters<typeof setup>[0] = {}) {
  const context = setup({ jobs: history(), ...options });
  await context.poll();
  context.clock.advance(minutes(5));
  return context;
}

describe("runPoll, first run", () => {
  it("takes a baseline: announces nothing, records every sighted job and sets the watermark", async () => {
    // Prepare
    const { poll, publisher, snapshot, jobs } = setup({ jobs: history() });

    // Act
    const report = await poll();

    // Assess
    expect(report).toMatchObject({ outcome: "baseline", firstRun: true, jobsSeen: 3, transitions: 0, published: 0 });
    // It lists every job that can still change, by submit time over a job's whole lifetime, so no status move
    // during the listing can hide an open job; nothing is listed since a watermark yet.
    expect(jobs.listedAfter).toEqual([]);
    expect(Math.min(...jobs.windows.map((window) => window.after.getTime()))).toBe(at(-minutes(8 * 24 * 60)).getTime());
    expect(Math.max(...jobs.windows.map((window) => window.before.getTime()))).toBeGreaterThan(T0.getTime());
    expect(publisher.calls).toBe(0);
    expect(
      [...snapshot.rows.values()].map((row) => [row.record.jobArn.slice(-7), announcedStatus(row.record)]).sort(),
    ).toEqual([
      ["000done", "Completed"],
      ["0queued", "Submitted"],
      ["running", "InProgress"],
    ]);
    expect(snapshot.watermark).not.toBeNull();
    expect(report.watermark).toEqual(snapshot.watermark);
    // Every job the baseline saw is at or before the watermark, and nothing after the poll started is.
    expect(snapshot.watermark?.getTime()).toBeGreaterThanOrEqual(at(-minutes(15)).getTime());
    expect(snapshot.watermark?.getTime()).toBeLessThanOrEqual(T0.getTime());
    expect(snapshot.lease).toBeUndefined();
  });

  it("with FIRST_RUN=notify announces, as first seen, only the jobs changed inside the look-back window", async () => {
    // Prepare
    const { poll, publisher, snapshot, jobs } = setup({
      firstRun: "notify",
      lookBackMinutes: 30,
      jobs: [
        ...history(),
        aJob("longago", { status: "Failed", submitTime: at(-minutes(40)), lastModifiedTime: at(-minutes(35)) }),
      ],
    });

    // Act
    const report = await poll();

    // Assess: "done" (changed 20 min ago, though submitted 50 min ago) and "queued" (15 min ago) are in the window;
    // "running" (10 h) and "longago" (35 min) are not. Listing by submit time reaches a job's lifetime further back.
    // "running" is recorded (it can still change); "longago" ended before the window: history, not even recorded.
    expect(report).toMatchObject({ outcome: "delivered", firstRun: true, published: 2, committed: 2 });
    expect(announced(publisher).sort()).toEqual(["done: null -> Completed", "queued: null -> Submitted"]);
    expect(publisher.sentEvents().every((event) => event.type === "JobDiscovered")).toBe(true);
    expect(snapshot.rows.size).toBe(3);
    expect(snapshot.rows.has(jobArnOf("longago"))).toBe(false);
    expect(snapshot.watermark).not.toBeNull();
    expect(Math.min(...jobs.windows.map((window) => window.after.getTime()))).toBeLessThanOrEqual(
      at(-minutes(30 + 8 * 24 * 60)).getTime(),
    );
  });

  it("stays a first run when an announcement failed, so the next poll tries again", async () => {
    // Prepare
    const { poll, publisher, snapshot } = setup({ firstRun: "notify", jobs: history() });
    publisher.failingIds.add(eventIdOf(history()[0]?.jobArn ?? "", null, "Completed"));

    // Act
    const first = await poll();
    publisher.failingIds.clear();
    const second = await poll();

    // Assess
    expect(first).toMatchObject({ publishFailed: 1, watermark: null });
    expect(second).toMatchObject({ firstRun: true, outcome: "delivered" });
    expect(announced(publisher)).toContain("done: null -> Completed");
    expect(snapshot.watermark).not.toBeNull();
  });

  it("does nothing but report lease-busy when another poll holds the lease", async () => {
    // Prepare
    const { poll, publisher, snapshot } = setup({ jobs: history() });
    await snapshot.acquireLease("someone-else", T0, at(minutes(5)));

    // Act
    const report = await poll();

    // Assess
    expect(report.outcome).toBe("lease-busy");
    expect(snapshot.rows.size).toBe(0);
    expect(snapshot.watermark).toBeNull();
    expect(publisher.calls).toBe(0);
  });

  it("gives the lease back when publishing throws during a notify first run", async () => {
    // Prepare
    const { poll, publisher, snapshot } = setup({ firstRun: "notify", jobs: history() });
    publisher.failure = new ResourceMissingError("topic", "arn:aws:sns:us-east-1:123456789012:gone");

    // Act
    const error = await poll().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ResourceMissingError);
    expect(snapshot.lease).toBeUndefined();
    expect(snapshot.watermark).toBeNull();
  });
});

describe("runPoll, later runs", () => {
  it("in a quiet account makes 6 listing calls, fetches nothing, takes no lease and writes nothing", async () => {
    // Prepare
    const { poll, jobs, snapshot, publisher } = await afterBaseline();
    const writesBefore = snapshot.writes.length;
    const callsBefore = { ...jobs.calls };
    const leaseRequestsBefore = snapshot.leaseRequests.length;

    // Act
    const report = await poll();

    // Assess
    expect(report).toMatchObject({ outcome: "quiet", firstRun: false, transitions: 0, fetched: 0 });
    expect(jobs.calls.listSubmittedAfter - callsBefore.listSubmittedAfter).toBe(1);
    expect(jobs.calls.listByStatus - callsBefore.listByStatus).toBe(5);
    expect(jobs.calls.getJob - callsBefore.getJob).toBe(0);
    expect(snapshot.leaseRequests.length).toBe(leaseRequestsBefore);
    expect(snapshot.writes.length).toBe(writesBefore);
    expect(publisher.calls).toBe(0);
  });

  it("leaves the watermark where it is when the listing shows no newer submission, however much time passed", async () => {
    // Prepare: hours pass with nothing submitted. A clock-only watermark would pass jobs that Bedrock (with its own
    // clock, or a lagging listing) has not shown yet; only Bedrock's submit times may move it.
    const { poll, snapshot, clock } = await afterBaseline();
    const watermarkBefore = snapshot.watermark;
    clock.advance(minutes(6 * 60));

    // Act
    const report = await poll();

    // Assess
    expect(report.outcome).toBe("quiet");
    expect(snapshot.watermark).toEqual(watermarkBefore);
    expect(snapshot.leaseRequests).toHaveLength(1);
  });

  it("moves the watermark past newly seen submissions without a lease when there is nothing to announce", async () => {
    // Prepare: a job submitted and announced by a Bedrock event, already recorded, shows up in the listing.
    const { poll, jobs, snapshot, clock } = await afterBaseline();
    const watermarkBefore = snapshot.watermark;
    const seen = aJob("seen", { status: "InProgress", submitTime: at(-minutes(2)), lastModifiedTime: at(-minutes(1)) });
    jobs.put(seen);
    snapshot.seed({ jobArn: seen.jobArn, status: "InProgress", submitTime: seen.submitTime });
    clock.advance(minutes(30));

    // Act
    const report = await poll();

    // Assess
    expect(report.outcome).toBe("quiet");
    expect(snapshot.leaseRequests).toHaveLength(1);
    expect(snapshot.watermark?.getTime()).toBeGreaterThan(watermarkBefore?.getTime() ?? 0);
    expect(snapshot.watermark?.getTime()).toBeLessThanOrEqual(seen.submitTime.getTime());
    expect(report.watermark).toEqual(snapshot.watermark);
  });

  it("publishes a status change once, commits it, and stays quiet about it afterwards", async () => {
    // Prepare
    const { poll, jobs, snapshot, publisher, clock } = await afterBaseline();
    const queued = history()[2] as BatchJob;
    jobs.update(queued.jobArn, { status: "InProgress", lastModifiedTime: at(minutes(2)) });

    // Act
    const report = await poll();
    clock.advance(minutes(5));
    const next = await poll();

    // Assess
    expect(report).toMatchObject({
      outcome: "delivered",
      transitions: 1,
      published: 1,
      committed: 1,
      publishFailed: 0,
    });
    expect(announced(publisher)).toEqual(["queued: Submitted -> InProgress"]);
    expect(snapshot.statusOf(queued.jobArn)).toBe("InProgress");
    expect(snapshot.lease).toBeUndefined();
    expect(next.outcome).toBe("quiet");
    expect(publisher.sent).toHaveLength(1);
  });

  it("publishes each change as the versioned event, with subject and attributes", async () => {
    // Prepare
    const { poll, jobs, publisher } = await afterBaseline();
    const queued = history()[2] as BatchJob;
    jobs.update(queued.jobArn, { status: "Failed", message: "input file missing", lastModifiedTime: at(minutes(2)) });

    // Act
    await poll();

    // Assess
    const [message] = publisher.sent;
    const event = publisher.sentEvents()[0];
    expect(message?.id).toBe(eventIdOf(queued.jobArn, "Submitted", "Failed"));
    expect(event).toMatchObject({ eventId: message?.id, type: "JobStatusChanged", severity: "error" });
    expect(event?.job.message).toBe("input file missing");
    expect(message?.subject).toBe("[ERROR] Bedrock batch job job-queued: Submitted -> Failed");
    expect(message?.attributes).toMatchObject({ status: "Failed", previousStatus: "Submitted", severity: "error" });
  });

  it("does not commit a failed publish, and the next poll sends it again with the same eventId", async () => {
    // Prepare: the long-running job finishes, so it leaves every open list.
    const { poll, jobs, snapshot, publisher, clock } = await afterBaseline();
    const running = history()[1] as BatchJob;
    jobs.update(running.jobArn, { status: "Completed", lastModifiedTime: at(minutes(3)), endTime: at(minutes(3)) });
    const eventId = eventIdOf(running.jobArn, "InProgress", "Completed");
    publisher.failingIds.add(eventId);

    // Act
    const failed = await poll();
    publisher.failingIds.clear();
    clock.advance(minutes(5));
    const retried = await poll();

    // Assess
    expect(failed).toMatchObject({ outcome: "undelivered", publishFailed: 1, published: 0, committed: 0 });
    expect(retried).toMatchObject({ outcome: "delivered", published: 1, committed: 1 });
    expect(publisher.attempted.map((message) => message.id)).toEqual([eventId, eventId]);
    expect(announced(publisher)).toEqual(["running: InProgress -> Completed"]);
    expect(snapshot.statusOf(running.jobArn)).toBe("Completed");
  });

  it("holds the watermark back for a new terminal job whose publish failed, so the next poll lists it again", async () => {
    // Prepare: two new jobs, half an hour apart; the first failed before any poll saw it.
    const { poll, jobs, snapshot, publisher, clock } = await afterBaseline();
    clock.set(at(minutes(60)));
    const failedEarly = aJob("early", {
      status: "Failed",
      submitTime: at(minutes(10)),
      lastModifiedTime: at(minutes(12)),
    });
    const later = aJob("later", { status: "Submitted", submitTime: at(minutes(40)) });
    jobs.put(failedEarly);
    jobs.put(later);
    publisher.failingIds.add(eventIdOf(failedEarly.jobArn, null, "Failed"));

    // Act
    const first = await poll();
    publisher.failingIds.clear();
    clock.advance(minutes(5));
    const second = await poll();

    // Assess
    expect(first).toMatchObject({ published: 1, publishFailed: 1 });
    expect(first.watermark?.getTime()).toBeLessThan(failedEarly.submitTime.getTime());
    expect(second).toMatchObject({ published: 1, publishFailed: 0 });
    expect(announced(publisher)).toEqual(["later: null -> Submitted", "early: null -> Failed"]);
    expect(snapshot.statusOf(failedEarly.jobArn)).toBe("Failed");
    expect(snapshot.watermark?.getTime()).toBeGreaterThanOrEqual(failedEarly.submitTime.getTime());
  });

  it("fetches a known open job that left every list with getJob", async () => {
    // Prepare
    const { poll, jobs, publisher } = await afterBaseline();
    const running = history()[1] as BatchJob;
    jobs.update(running.jobArn, { status: "Stopped", lastModifiedTime: at(minutes(1)) });

    // Act
    const report = await poll();

    // Assess
    expect(report.fetched).toBe(1);
    expect(jobs.gotJobs).toEqual([running.jobArn]);
    expect(announced(publisher)).toEqual(["running: InProgress -> Stopped"]);
    expect(publisher.sentEvents()[0]?.severity).toBe("warning");
  });

  it("reports a known open job Bedrock no longer knows, without crashing", async () => {
    // Prepare
    const { poll, jobs, diagnostics, publisher } = await afterBaseline();
    const running = history()[1] as BatchJob;
    jobs.remove(running.jobArn);

    // Act
    const report = await poll();

    // Assess
    expect(report).toMatchObject({ outcome: "quiet", fetched: 1 });
    expect(diagnostics.warnings).toContainEqual({ kind: "job-vanished", details: { jobArn: running.jobArn } });
    expect(publisher.calls).toBe(0);
  });

  it("announces a new job that appears in two listings once", async () => {
    // Prepare: submitted after the watermark and Validating, so both listings return it.
    const { poll, jobs, publisher, clock } = await afterBaseline();
    clock.advance(minutes(20));
    jobs.put(aJob("twice", { status: "Validating", submitTime: at(minutes(1)), lastModifiedTime: at(minutes(2)) }));

    // Act
    const report = await poll();

    // Assess
    expect(report).toMatchObject({ transitions: 1, published: 1 });
    expect(announced(publisher)).toEqual(["twice: null -> Validating"]);
  });

  it("collapses several status changes between two polls into one transition", async () => {
    // Prepare
    const { poll, jobs, publisher } = await afterBaseline();
    const queued = history()[2] as BatchJob;
    jobs.update(queued.jobArn, { status: "Completed", lastModifiedTime: at(minutes(4)) });

    // Act
    await poll();

    // Assess
    expect(announced(publisher)).toEqual(["queued: Submitted -> Completed"]);
  });

  it("reports lease-busy and publishes nothing when another poll holds the lease", async () => {
    // Prepare
    const { poll, jobs, snapshot, publisher, clock } = await afterBaseline();
    const queued = history()[2] as BatchJob;
    jobs.update(queued.jobArn, { status: "InProgress", lastModifiedTime: at(minutes(2)) });
    await snapshot.acquireLease("other-poll", clock.now(), at(minutes(10), clock.now()));

    // Act
    const report = await poll();

    // Assess
    expect(report.outcome).toBe("lease-busy");
    expect(publisher.calls).toBe(0);
    expect(snapshot.statusOf(queued.jobArn)).toBe("Submitted");
    expect(snapshot.lease?.owner).toBe("other-poll");
  });

  it("defers what it cannot publish before the deadline, and the next poll delivers it", async () => {
    // Prepare: 15 new jobs; SNS is slow, so after the first batch of 10 the deadline is 4 s away.
    const { poll, jobs, snapshot, publisher, clock } = await afterBaseline();
    clock.advance(minutes(20));
    for (let index = 0; index < 15; index++) {
      jobs.put(aJob(`burst${index}`, { status: "Submitted", submitTime: at(minutes(1) + index * 1000) }));
    }
    publisher.onPublish = () => clock.advance(56_000);

    // Act
    const first = await poll();
    const deliveredFirst = new Set(publisher.sent.map((message) => message.id));
    publisher.onPublish = undefined;
    clock.advance(minutes(5));
    const second = await poll();

    // Assess
    expect(first).toMatchObject({ transitions: 15, published: 10, committed: 10, deferred: 5 });
    expect(publisher.calls).toBe(2);
    expect(second).toMatchObject({ transitions: 5, published: 5, committed: 5, deferred: 0 });
    const ids = publisher.sent.map((message) => message.id);
    expect(new Set(ids).size).toBe(15);
    expect(ids.slice(10).some((id) => deliveredFirst.has(id))).toBe(false);
    expect([...snapshot.rows.keys()].filter((arn) => arn.includes("burst"))).toHaveLength(15);
  });

  it("gives the lease back and keeps the watermark when delivery throws", async () => {
    // Prepare
    const { poll, jobs, snapshot, publisher } = await afterBaseline();
    const watermark = snapshot.watermark;
    const queued = history()[2] as BatchJob;
    jobs.update(queued.jobArn, { status: "InProgress", lastModifiedTime: at(minutes(2)) });
    publisher.failure = new ResourceMissingError("topic", "arn:aws:sns:us-east-1:123456789012:gone");

    // Act
    const error = await poll().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ResourceMissingError);
    expect(snapshot.lease).toBeUndefined();
    expect(snapshot.watermark).toEqual(watermark);
    expect(snapshot.statusOf(queued.jobArn)).toBe("Submitted");
  });

  it("lets a Bedrock failure through without taking the lease or writing", async () => {
    // Prepare
    const { poll, jobs, snapshot } = await afterBaseline();
    const writesBefore = snapshot.writes.length;
    jobs.failure = new Error("ThrottlingException");

    // Act / Assess
    await expect(poll()).rejects.toThrow("ThrottlingException");
    expect(snapshot.writes.length).toBe(writesBefore);
    expect(snapshot.lease).toBeUndefined();
  });

  it("does not announce again what another writer committed between its read and its lease", async () => {
    // Prepare: the poll reads the snapshot, then (before it takes the lease) the Bedrock-event path commits.
    const { poll, jobs, snapshot, publisher } = await afterBaseline();
    const queued = history()[2] as BatchJob;
    const moved = jobs.update(queued.jobArn, { status: "InProgress", lastModifiedTime: at(minutes(2)) });
    commitBeforeNextLease(snapshot, moved, "Submitted", "InProgress");

    // Act
    const report = await poll();

    // Assess
    expect(report).toMatchObject({ transitions: 0, published: 0 });
    expect(publisher.calls).toBe(0);
  });

  it("never writes a job's failure message to the diagnostics", async () => {
    // Prepare
    const { poll, jobs, diagnostics, publisher } = await afterBaseline();
    const running = history()[1] as BatchJob;
    jobs.update(running.jobArn, { status: "Failed", message: "SECRET-PAYLOAD", lastModifiedTime: at(minutes(1)) });
    publisher.failingIds.add(eventIdOf(running.jobArn, "InProgress", "Failed"));

    // Act
    const report = await poll();

    // Assess: the failed publish really carried the message, was counted, and no diagnostic repeats it.
    expect(publisher.attempted.some((message) => message.body.includes("SECRET-PAYLOAD"))).toBe(true);
    expect(report).toMatchObject({ outcome: "undelivered", publishFailed: 1, committed: 0 });
    expect(JSON.stringify(diagnostics.warnings)).not.toContain("SECRET-PAYLOAD");
  });
});
