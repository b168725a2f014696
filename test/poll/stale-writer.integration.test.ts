import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbSnapshotStore } from "../../src/adapters/dynamodb";
import { announcedStatus, type SnapshotRecord } from "../../src/domain/snapshot";
import type { Publisher, PublishOutcome } from "../../src/poll/ports";
import { runPoll } from "../../src/poll/run-poll";
import { type LocalPeer, startDynalite } from "../../tools/local-stack/peers";
import { LOCAL_CREDENTIALS } from "../../tools/local-stack/stack";
import { createSnapshotTable } from "../../tools/local-stack/template";
import { aJob, at, minutes, pollOptions, T0 } from "../support/factories";
import { FakeClock, FakeJobSource, FakePublisher, RecordingDiagnostics } from "../support/fakes";

/** A publisher whose answers wait for `release`: SNS accepted the batch, and the writer froze right after. */
function frozenAfterPublishing() {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let published: () => void = () => undefined;
  const publishing = new Promise<void>((resolve) => {
    published = resolve;
  });
  const publisher: Publisher = {
    async *publish(messages): AsyncGenerator<PublishOutcome[]> {
      published();
      await released;
      yield messages.map((message) => ({ id: message.id, ok: true }));
    },
  };
  return { publisher, publishing, release };
}

describe("a writer that resumes after its lease expired", () => {
  let dynalite: LocalPeer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynalite = await startDynalite();
    client = new DynamoDBClient({ region: "us-east-1", credentials: LOCAL_CREDENTIALS, endpoint: dynalite.endpoint });
  });

  afterAll(async () => {
    client?.destroy();
    await dynalite?.stop();
  });

  /** A fresh snapshot table in dynalite, behind the real adapter. */
  async function snapshotTable(name: string) {
    await createSnapshotTable(client, name);
    const diagnostics = new RecordingDiagnostics();
    const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    return { store: new DynamoDbSnapshotStore(documents, name, diagnostics), diagnostics };
  }

  it("changes nothing: no row, no watermark, no lease", async () => {
    // Prepare: a baseline of one Submitted job, in DynamoDB.
    const { store, diagnostics } = await snapshotTable("stale-writer");
    const clock = new FakeClock(T0);
    const job = aJob("a", { status: "Submitted", submitTime: at(-minutes(20)) });
    const jobs = new FakeJobSource([job]);
    const deps = (publisher: Publisher) => ({
      jobs,
      snapshot: store,
      publisher,
      diagnostics,
      clock: clock.now,
      options: pollOptions(),
    });
    await runPoll(deps(new FakePublisher()), { pollId: "first", deadline: at(minutes(1)) });
    clock.advance(minutes(5));
    jobs.update(job.jobArn, { status: "InProgress", lastModifiedTime: clock.now() });

    // Act: A publishes Submitted → InProgress and freezes; its lease runs out; B announces the job's end.
    const frozen = frozenAfterPublishing();
    const writerA = runPoll(deps(frozen.publisher), { pollId: "A", deadline: at(minutes(1), clock.now()) });
    await frozen.publishing;
    clock.advance(minutes(2));
    jobs.update(job.jobArn, { status: "Completed", lastModifiedTime: clock.now(), endTime: clock.now() });
    const writerB = await runPoll(deps(new FakePublisher()), { pollId: "B", deadline: at(minutes(1), clock.now()) });
    const afterB = await store.readState();
    const rowAfterB = (await store.getRecords([job.jobArn])).get(job.jobArn);
    frozen.release();
    const resumedA = await writerA;

    // Assess
    expect(writerB).toMatchObject({ outcome: "delivered", committed: 1 });
    expect(resumedA).toMatchObject({ published: 1, committed: 0 });
    const row = (await store.getRecords([job.jobArn])).get(job.jobArn);
    expect(announcedStatus(row)).toBe("Completed");
    expect(row).toEqual(rowAfterB);
    const state = await store.readState();
    expect(state.watermark).toEqual(afterB.watermark);
    expect(diagnostics.kinds()).toEqual(expect.arrayContaining(["lease-expired", "lease-lost"]));
  });

  it("never moves a row back with a first-run baseline it resumes after another writer recorded the job", async () => {
    // Prepare
    const { store, diagnostics } = await snapshotTable("stale-baseline");
    let resume: () => void = () => undefined;
    const resumed = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let frozen: () => void = () => undefined;
    const isFrozen = new Promise<void>((resolve) => {
      frozen = resolve;
    });
    // Writer A freezes just before writing its baseline.
    const freezing = new Proxy(store, {
      get(target, property) {
        if (property === "recordBaseline") {
          return async (records: SnapshotRecord[], now: Date) => {
            frozen();
            await resumed;
            return target.recordBaseline(records, now);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const clock = new FakeClock(T0);
    const job = aJob("b", { status: "Submitted", submitTime: at(-minutes(20)) });
    const jobs = new FakeJobSource([job]);
    const deps = (snapshot: DynamoDbSnapshotStore) => ({
      jobs,
      snapshot,
      publisher: new FakePublisher(),
      diagnostics,
      clock: clock.now,
      options: pollOptions(),
    });

    // Act: A's lease runs out while it is frozen; B takes the baseline, a later poll announces InProgress.
    const writerA = runPoll(deps(freezing), { pollId: "A", deadline: at(minutes(1)) });
    await isFrozen;
    clock.advance(minutes(2));
    await runPoll(deps(store), { pollId: "B", deadline: at(minutes(1), clock.now()) });
    clock.advance(minutes(5));
    jobs.update(job.jobArn, { status: "InProgress", lastModifiedTime: clock.now() });
    const later = await runPoll(deps(store), { pollId: "C", deadline: at(minutes(1), clock.now()) });
    resume();
    await writerA;

    // Assess
    expect(later).toMatchObject({ outcome: "delivered", committed: 1 });
    expect(announcedStatus((await store.getRecords([job.jobArn])).get(job.jobArn))).toBe("InProgress");
  });
});
