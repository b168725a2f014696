import { describe, expect, it } from "vitest";
import { eventIdOf } from "../../src/domain/event";
import { ResourceMissingError } from "../../src/errors";
import { confirmJobs } from "../../src/poll/confirm-jobs";
import { runPoll } from "../../src/poll/run-poll";
import { aJob, at, jobArnOf, minutes, pollOptions } from "../support/factories";
import { commitBeforeNextLease, FakeJobSource, fakeDeliveryDeps } from "../support/fakes";

function setup() {
  const delivery = fakeDeliveryDeps();
  const { clock, diagnostics, snapshot, publisher } = delivery;
  const job = aJob("a", { status: "InProgress", submitTime: at(-minutes(120)), lastModifiedTime: at(-minutes(60)) });
  const jobs = new FakeJobSource([job]);
  snapshot.seed({
    jobArn: job.jobArn,
    status: "InProgress",
    submitTime: job.submitTime,
    lastModifiedTime: job.lastModifiedTime,
  });
  snapshot.watermark = at(-minutes(30));
  const deps = { ...delivery.deps, jobs };
  let count = 0;
  const reconcile = (...jobArns: string[]) =>
    confirmJobs(
      deps,
      { pollId: `event-${++count}`, deadline: at(minutes(1), clock.now()) },
      jobArns.length > 0 ? jobArns : [job.jobArn],
    );
  return { clock, diagnostics, job, jobs, snapshot, publisher, deps, reconcile };
}

describe("confirmJobs", () => {
  it("announces a job's change once and commits it", async () => {
    // Prepare
    const { reconcile, jobs, job, publisher, snapshot } = setup();
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });

    // Act
    const report = await reconcile();

    // Assess
    expect(report).toMatchObject({ leaseBusy: false, transitions: 1, published: 1, committed: 1 });
    expect(report.jobs).toEqual(new Map([[job.jobArn, "announced"]]));
    expect(publisher.sent.map((message) => message.id)).toEqual([eventIdOf(job.jobArn, "InProgress", "Completed")]);
    expect(snapshot.statusOf(job.jobArn)).toBe("Completed");
    expect(snapshot.lease).toBeUndefined();
    expect(snapshot.watermark).toEqual(at(-minutes(30)));
  });

  it("reports unchanged, and sends nothing, when the same event arrives again", async () => {
    // Prepare
    const { reconcile, jobs, job, publisher, snapshot } = setup();
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });
    await reconcile();
    const leaseRequests = snapshot.leaseRequests.length;

    // Act
    const again = await reconcile();

    // Assess
    expect(again).toMatchObject({ transitions: 0, published: 0 });
    expect(again.jobs.get(job.jobArn)).toBe("unchanged");
    expect(publisher.sent).toHaveLength(1);
    expect(snapshot.leaseRequests).toHaveLength(leaseRequests);
  });

  it("leaves nothing for the next poll to send again", async () => {
    // Prepare
    const { reconcile, jobs, job, publisher, deps, clock } = setup();
    jobs.update(job.jobArn, { status: "Failed", lastModifiedTime: at(-minutes(1)) });
    await reconcile();
    clock.advance(minutes(5));

    // Act
    const report = await runPoll(
      { ...deps, options: pollOptions() },
      { pollId: "poll-1", deadline: at(minutes(1), clock.now()) },
    );

    // Assess
    expect(report.transitions).toBe(0);
    expect(publisher.sent).toHaveLength(1);
  });

  it("reports unchanged without taking the lease when the job has not changed", async () => {
    // Prepare
    const { reconcile, publisher, snapshot, job } = setup();

    // Act
    const report = await reconcile();

    // Assess
    expect(report.jobs.get(job.jobArn)).toBe("unchanged");
    expect(publisher.calls).toBe(0);
    expect(snapshot.leaseRequests).toEqual([]);
  });

  it("announces a job the snapshot has never seen as first seen", async () => {
    // Prepare
    const { reconcile, jobs, publisher, snapshot } = setup();
    const fresh = aJob("fresh", { status: "Submitted", submitTime: at(-minutes(1)) });
    jobs.put(fresh);

    // Act
    const report = await reconcile(fresh.jobArn);

    // Assess
    expect(report.jobs.get(fresh.jobArn)).toBe("announced");
    expect(publisher.sentEvents()[0]).toMatchObject({ type: "JobDiscovered", previousStatus: null });
    expect(snapshot.statusOf(fresh.jobArn)).toBe("Submitted");
  });

  it("asks for a retry of the change when the lease is busy", async () => {
    // Prepare
    const { reconcile, jobs, job, publisher, snapshot, clock } = setup();
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });
    await snapshot.acquireLease("poll-7", clock.now(), at(minutes(5)));

    // Act
    const report = await reconcile();

    // Assess
    expect(report.leaseBusy).toBe(true);
    expect(report.jobs.get(job.jobArn)).toBe("retry");
    expect(publisher.calls).toBe(0);
    expect(snapshot.statusOf(job.jobArn)).toBe("InProgress");
    expect(snapshot.lease?.owner).toBe("poll-7");
  });

  it("waits for a busy lease, when allowed, and announces once the holder is done", async () => {
    // Prepare: the lease holder gives it back during the second pause.
    const { jobs, job, publisher, snapshot, clock, deps } = setup();
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });
    await snapshot.acquireLease("poll-7", clock.now(), at(minutes(5)));
    const pauses: number[] = [];
    const sleep = async (ms: number) => {
      pauses.push(ms);
      clock.advance(ms);
      if (pauses.length === 2) await snapshot.releaseLease("poll-7");
    };

    // Act
    const report = await confirmJobs(
      { ...deps, leaseWait: { maxMs: 20_000, sleep } },
      { pollId: "events-1", deadline: at(minutes(1), clock.now()) },
      [job.jobArn],
    );

    // Assess
    expect(pauses).toEqual([250, 500]);
    expect(report.jobs.get(job.jobArn)).toBe("announced");
    expect(publisher.sent).toHaveLength(1);
  });

  it("stops waiting for a busy lease after the allowed time, and asks for a retry", async () => {
    // Prepare
    const { jobs, job, publisher, snapshot, clock, deps } = setup();
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });
    await snapshot.acquireLease("poll-7", clock.now(), at(minutes(5)));
    const pauses: number[] = [];
    const sleep = async (ms: number) => {
      pauses.push(ms);
      clock.advance(ms);
    };

    // Act
    const report = await confirmJobs(
      { ...deps, leaseWait: { maxMs: 5_000, sleep } },
      { pollId: "events-1", deadline: at(minutes(1), clock.now()) },
      [job.jobArn],
    );

    // Assess: 250 + 500 + 1000 + 2000 = 3,750 ms waited; another 2,000 would pass the 5,000 allowed.
    expect(pauses).toEqual([250, 500, 1000, 2000]);
    expect(report).toMatchObject({ leaseBusy: true });
    expect(report.jobs.get(job.jobArn)).toBe("retry");
    expect(publisher.calls).toBe(0);
  });

  it("reports not-found, with a warning, for a job Bedrock does not know", async () => {
    // Prepare
    const { reconcile, diagnostics, publisher } = setup();
    const unknown = jobArnOf("nope");

    // Act
    const report = await reconcile(unknown);

    // Assess
    expect(report.jobs).toEqual(new Map([[unknown, "not-found"]]));
    expect(diagnostics.warnings).toEqual([{ kind: "job-vanished", details: { jobArn: unknown } }]);
    expect(publisher.calls).toBe(0);
  });

  it("does not send what the poll announced between the first read and the lease", async () => {
    // Prepare: the poll commits the change just before this path takes the lease.
    const { reconcile, jobs, job, publisher, snapshot } = setup();
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });
    commitBeforeNextLease(snapshot, job, "InProgress", "Completed");

    // Act
    const report = await reconcile();

    // Assess
    expect(report.jobs.get(job.jobArn)).toBe("unchanged");
    expect(publisher.calls).toBe(0);
    expect(snapshot.lease).toBeUndefined();
  });

  it("gives the lease back when publishing throws", async () => {
    // Prepare
    const { reconcile, jobs, job, publisher, snapshot } = setup();
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });
    publisher.failure = new ResourceMissingError("topic", "arn:aws:sns:us-east-1:123456789012:gone");

    // Act
    const error = await reconcile().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ResourceMissingError);
    expect(snapshot.lease).toBeUndefined();
    expect(snapshot.statusOf(job.jobArn)).toBe("InProgress");
  });

  it("reports a failed publish without committing it, so the next poll retries", async () => {
    // Prepare
    const { reconcile, jobs, job, publisher, snapshot } = setup();
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });
    publisher.failingIds.add(eventIdOf(job.jobArn, "InProgress", "Completed"));

    // Act
    const report = await reconcile();

    // Assess
    expect(report).toMatchObject({ transitions: 1, published: 0, publishFailed: 1, committed: 0 });
    expect(report.jobs.get(job.jobArn)).toBe("retry");
    expect(snapshot.statusOf(job.jobArn)).toBe("InProgress");
  });

  it("confirms many jobs under one lease, each event of the same job once", async () => {
    // Prepare
    const { reconcile, jobs, job, publisher, snapshot } = setup();
    const others = ["b", "c", "d"].map((name) => aJob(name, { status: "Validating", submitTime: at(-minutes(5)) }));
    for (const other of others) jobs.put(other);
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: at(-minutes(1)) });

    // Act: the job's own event twice, as a burst can carry it.
    const report = await reconcile(job.jobArn, ...others.map((other) => other.jobArn), job.jobArn);

    // Assess
    expect(snapshot.leaseRequests).toHaveLength(1);
    expect(report).toMatchObject({ transitions: 4, published: 4, committed: 4 });
    expect([...report.jobs.values()]).toEqual(["announced", "announced", "announced", "announced"]);
    expect(publisher.sent).toHaveLength(4);
  });
});
