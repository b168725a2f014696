import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DynamoDbSnapshotStore,
  OPEN_JOBS_INDEX,
  ROW_VERSION,
  TERMINAL_ROW_RETENTION_SECONDS,
} from "../../src/adapters/dynamodb";
import { announcedStatus, isMalformed, type StoredRecord } from "../../src/domain/snapshot";
import { ResourceMissingError } from "../../src/errors";
import { runPoll } from "../../src/poll/run-poll";
import { createSnapshotTable } from "../../tools/local-stack/template";
import { aJob, aRecord, at, jobArnOf, minutes, pollOptions, T0 } from "../support/factories";
import { FakeClock, FakeJobSource, FakePublisher, FakeSnapshotStore, RecordingDiagnostics } from "../support/fakes";

const DAY_SECONDS = 24 * 60 * 60;

let server: Server;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let tableCount = 0;

/** The snapshot table exactly as serverless.yml declares it (read from the template, so the two cannot drift). */
async function createTable(): Promise<string> {
  const tableName = `snapshot-test-${++tableCount}`;
  await createSnapshotTable(client, tableName);
  return tableName;
}

const rawRow = async (tableName: string, pk: string): Promise<Record<string, unknown> | undefined> =>
  (await documents.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }))).Item;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
  });
  documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("dynalite, the DynamoDB these tests run against", () => {
  it("supports what the adapter relies on: a sparse GSI Query and a strongly consistent BatchGet", async () => {
    // Prepare
    const tableName = await createTable();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { pk: { S: "open" }, openShard: { S: "open" } } }),
    );
    await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: "closed" } } }));

    // Act
    const query = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: OPEN_JOBS_INDEX,
        KeyConditionExpression: "openShard = :open",
        ExpressionAttributeValues: { ":open": { S: "open" } },
      }),
    );
    const batch = await documents.send(
      new BatchGetCommand({
        RequestItems: { [tableName]: { Keys: [{ pk: "open" }, { pk: "closed" }], ConsistentRead: true } },
      }),
    );

    // Assess
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe(OPEN_JOBS_INDEX);
    expect(query.Items?.map((item) => item.pk?.S)).toEqual(["open"]);
    expect(batch.Responses?.[tableName]?.map((item) => item.pk).sort()).toEqual(["closed", "open"]);
  });

  it("has no TTL: UpdateTimeToLive is not implemented, so expiresAt is only checked as an attribute here", async () => {
    // Prepare
    const tableName = await createTable();

    // Act
    const error = await client
      .send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        }),
      )
      .catch((caught: unknown) => caught);

    // Assess: if dynalite ever gains TTL this fails, and the limitation noted here can go.
    expect(error).toBeInstanceOf(Error);
  });
});

describe("DynamoDbSnapshotStore", () => {
  let tableName: string;
  let diagnostics: RecordingDiagnostics;
  let store: DynamoDbSnapshotStore;

  beforeEach(async () => {
    tableName = await createTable();
    diagnostics = new RecordingDiagnostics();
    store = new DynamoDbSnapshotStore(documents, tableName, diagnostics);
  });

  it("reads an empty table as no watermark and no open jobs", async () => {
    // Act
    const state = await store.readState();

    // Assess
    expect(state).toEqual({
      watermark: null,
      open: new Map(),
      firstRunStartedAt: null,
      historyBefore: null,
      deepReconciledAt: null,
    });
    expect(diagnostics.warnings).toEqual([]);
  });

  describe("commit", () => {
    it("stores a new open job where readState finds it", async () => {
      // Prepare
      const open = aRecord("a", { status: "InProgress" });

      // Act
      const committed = await store.commit(open, undefined, T0);
      const state = await store.readState();

      // Assess
      expect(committed).toBe(true);
      // The commit is the first sighting of its status: it records when.
      expect(state.open).toEqual(new Map([[open.jobArn, { ...open, statusSince: T0 }]]));
      expect(await rawRow(tableName, `job#${open.jobArn}`)).toEqual({
        pk: `job#${open.jobArn}`,
        v: ROW_VERSION,
        statusSince: T0.toISOString(),
        status: "InProgress",
        submitTime: open.submitTime.toISOString(),
        lastModifiedTime: open.lastModifiedTime?.toISOString(),
        updatedAt: T0.toISOString(),
        openShard: "open",
      });
    });

    it("moves a job that turned terminal out of the open index and lets its row expire in 14 days", async () => {
      // Prepare
      const open = aRecord("a", { status: "InProgress" });
      await store.commit(open, undefined, T0);
      const done = aRecord("a", { status: "Completed", lastModifiedTime: at(minutes(1)) });
      const now = at(minutes(2));

      // Act
      const committed = await store.commit(done, open, now);
      const state = await store.readState();
      const stored = await store.getRecords([done.jobArn]);

      // Assess
      expect(committed).toBe(true);
      expect(state.open.size).toBe(0);
      expect(stored.get(done.jobArn)).toEqual({ ...done, statusSince: now });
      const row = await rawRow(tableName, `job#${done.jobArn}`);
      expect(row).not.toHaveProperty("openShard");
      expect(row?.expiresAt).toBe(Math.floor(now.getTime() / 1000) + TERMINAL_ROW_RETENTION_SECONDS);
      expect(TERMINAL_ROW_RETENTION_SECONDS).toBe(14 * DAY_SECONDS);
    });

    it("stores a first sighting that is already terminal with an expiry and outside the open index", async () => {
      // Act
      await store.commit(aRecord("a", { status: "Failed" }), undefined, T0);

      // Assess
      const row = await rawRow(tableName, `job#${jobArnOf("a")}`);
      expect(row?.expiresAt).toBe(Math.floor(T0.getTime() / 1000) + 14 * DAY_SECONDS);
      expect(row).not.toHaveProperty("openShard");
      expect((await store.readState()).open.size).toBe(0);
    });

    it("refuses a commit whose previous status is not what is stored, and changes nothing", async () => {
      // Prepare
      const stored = aRecord("a", { status: "InProgress" });
      await store.commit(stored, undefined, T0);

      // Act
      const wrongPrevious = await store.commit(
        aRecord("a", { status: "Completed" }),
        aRecord("a", { status: "Scheduled" }),
        at(1000),
      );
      const claimedNew = await store.commit(aRecord("a", { status: "Failed" }), undefined, at(2000));

      // Assess
      expect(wrongPrevious).toBe(false);
      expect(claimedNew).toBe(false);
      expect((await store.getRecords([stored.jobArn])).get(stored.jobArn)).toEqual({ ...stored, statusSince: T0 });
    });

    it("refuses a commit that expects a row when there is none", async () => {
      // Act
      const committed = await store.commit(aRecord("a", { status: "Completed" }), aRecord("a"), T0);

      // Assess
      expect(committed).toBe(false);
      expect((await store.getRecords([jobArnOf("a")])).size).toBe(0);
    });

    it("lets exactly one of two writers that read the same previous record commit", async () => {
      // Prepare
      const open = aRecord("a", { status: "InProgress" });
      await store.commit(open, undefined, T0);

      // Act
      const results = await Promise.all([
        store.commit(aRecord("a", { status: "Completed" }), open, at(1000)),
        store.commit(aRecord("a", { status: "Completed" }), open, at(1000)),
      ]);

      // Assess
      expect(results.sort()).toEqual([false, true]);
    });

    it("overwrites a malformed row when the previous record says it is malformed, repairing it", async () => {
      // Prepare
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: { S: `job#${jobArnOf("a")}` }, v: { N: "2" }, status: { N: "3" }, openShard: { S: "open" } },
        }),
      );
      const previous = (await store.readState()).open.get(jobArnOf("a"));

      // Act
      const committed = await store.commit(aRecord("a", { status: "Completed" }), previous, T0);

      // Assess
      expect(previous && isMalformed(previous)).toBe(true);
      expect(committed).toBe(true);
      const repaired = (await store.getRecords([jobArnOf("a")])).get(jobArnOf("a"));
      expect(repaired).toEqual(aRecord("a", { status: "Completed", statusSince: T0 }));
      expect((await store.readState()).open.size).toBe(0);
    });
  });

  describe("lease", () => {
    it("is held by one owner at a time until it expires", async () => {
      // Prepare
      const until = at(minutes(15));

      // Act
      const first = await store.acquireLease("poll-1", T0, until);
      const second = await store.acquireLease("poll-2", at(minutes(1)), at(minutes(16)));
      const atExpiry = await store.acquireLease("poll-2", until, at(minutes(30)));
      const afterExpiry = await store.acquireLease("poll-2", at(minutes(15) + 1), at(minutes(30)));
      const formerOwner = await store.acquireLease("poll-1", at(minutes(16)), at(minutes(31)));

      // Assess
      expect([first, second, atExpiry, afterExpiry, formerOwner]).toEqual([true, false, false, true, false]);
      expect(await rawRow(tableName, "meta#poller")).toMatchObject({
        leaseOwner: "poll-2",
        leaseUntil: at(minutes(30)).getTime(),
      });
    });

    it("can be renewed by its owner", async () => {
      // Prepare
      await store.acquireLease("poll-1", T0, at(minutes(15)));

      // Act
      const renewed = await store.acquireLease("poll-1", at(minutes(1)), at(minutes(20)));

      // Assess
      expect(renewed).toBe(true);
      expect((await rawRow(tableName, "meta#poller"))?.leaseUntil).toBe(at(minutes(20)).getTime());
    });

    it("ignores a release by someone who does not hold it, with a lease-lost warning", async () => {
      // Prepare
      await store.acquireLease("poll-1", T0, at(minutes(15)));

      // Act
      await store.releaseLease("poll-2", { watermark: at(minutes(5)) });

      // Assess
      expect(diagnostics.warnings).toEqual([{ kind: "lease-lost", details: { owner: "poll-2" } }]);
      expect(await store.acquireLease("poll-3", at(minutes(1)), at(minutes(15)))).toBe(false);
      expect((await store.readState()).watermark).toBeNull();
    });

    it("warns lease-lost when releasing a lease nobody holds", async () => {
      // Act
      await store.releaseLease("poll-1");

      // Assess
      expect(diagnostics.kinds()).toEqual(["lease-lost"]);
    });

    it("frees the lease on release, storing the watermark when one is given", async () => {
      // Prepare
      await store.acquireLease("poll-1", T0, at(minutes(15)));
      const watermark = new Date("2025-03-01T11:49:59.123Z");

      // Act
      await store.releaseLease("poll-1", { watermark });

      // Assess
      expect((await store.readState()).watermark).toEqual(watermark);
      expect(await store.acquireLease("poll-2", at(minutes(1)), at(minutes(15)))).toBe(true);
      const meta = await rawRow(tableName, "meta#poller");
      expect(meta).toMatchObject({ leaseOwner: "poll-2", watermark: watermark.toISOString() });
    });

    it("keeps the stored watermark when released without one", async () => {
      // Prepare
      await store.acquireLease("poll-1", T0, at(minutes(15)));
      await store.releaseLease("poll-1", { watermark: at(-minutes(20)) });
      await store.acquireLease("poll-2", T0, at(minutes(15)));

      // Act
      await store.releaseLease("poll-2");

      // Assess
      expect((await store.readState()).watermark).toEqual(at(-minutes(20)));
      expect(await rawRow(tableName, "meta#poller")).not.toHaveProperty("leaseOwner");
    });

    it("never moves the watermark back on release, yet gives the lease back and records the rest", async () => {
      // Prepare: a later poll moved the watermark further than this one got.
      await store.acquireLease("poll-1", T0, at(minutes(15)));
      await store.releaseLease("poll-1", { watermark: at(-minutes(5)) });
      await store.acquireLease("poll-2", T0, at(minutes(15)));

      // Act
      await store.releaseLease("poll-2", { watermark: at(-minutes(20)), deepReconciledAt: T0 });

      // Assess
      const state = await store.readState();
      expect(state.watermark).toEqual(at(-minutes(5)));
      expect(state.deepReconciledAt).toEqual(T0);
      expect(await rawRow(tableName, "meta#poller")).not.toHaveProperty("leaseOwner");
      expect(diagnostics.kinds()).not.toContain("lease-lost");
    });

    it("records when the first run started once, so a retry starts from the same instant", async () => {
      // Act
      const first = await store.beginFirstRun(T0);
      const retry = await store.beginFirstRun(at(minutes(7)));

      // Assess
      expect([first, retry]).toEqual([T0, T0]);
      expect((await store.readState()).firstRunStartedAt).toEqual(T0);
    });

    it("sets historyBefore once: later releases keep the first value", async () => {
      // Prepare
      await store.acquireLease("poll-1", T0, at(minutes(15)));
      await store.releaseLease("poll-1", { historyBefore: T0 });
      await store.acquireLease("poll-2", T0, at(minutes(15)));

      // Act
      await store.releaseLease("poll-2", { historyBefore: at(minutes(30)) });

      // Assess
      expect((await store.readState()).historyBefore).toEqual(T0);
    });
  });

  describe("advanceWatermark", () => {
    it("moves an existing watermark forward when no lease is held", async () => {
      // Prepare
      await store.acquireLease("poll-1", T0, at(minutes(1)));
      await store.releaseLease("poll-1", { watermark: at(-minutes(30)) });

      // Act
      const moved = await store.advanceWatermark(at(-minutes(10)), at(minutes(2)));

      // Assess
      expect(moved).toBe(true);
      expect((await store.readState()).watermark).toEqual(at(-minutes(10)));
    });

    it("never moves the watermark back, nor to the same point", async () => {
      // Prepare
      await store.acquireLease("poll-1", T0, at(minutes(1)));
      await store.releaseLease("poll-1", { watermark: at(-minutes(10)) });

      // Act
      const back = await store.advanceWatermark(at(-minutes(30)), at(minutes(2)));
      const same = await store.advanceWatermark(at(-minutes(10)), at(minutes(2)));

      // Assess
      expect([back, same]).toEqual([false, false]);
      expect((await store.readState()).watermark).toEqual(at(-minutes(10)));
    });

    it("does not move the watermark while another poll holds an unexpired lease, nor create one", async () => {
      // Prepare
      await store.acquireLease("poll-1", T0, at(minutes(1)));
      await store.releaseLease("poll-1", { watermark: at(-minutes(30)) });
      await store.acquireLease("poll-2", T0, at(minutes(15)));

      // Act
      const whileHeld = await store.advanceWatermark(at(-minutes(10)), at(minutes(5)));
      const afterExpiry = await store.advanceWatermark(at(-minutes(10)), at(minutes(16)));
      const fresh = new DynamoDbSnapshotStore(documents, await createTable(), diagnostics);
      const withoutWatermark = await fresh.advanceWatermark(at(-minutes(10)), T0);

      // Assess
      expect([whileHeld, afterExpiry, withoutWatermark]).toEqual([false, true, false]);
      expect((await fresh.readState()).watermark).toBeNull();
    });
  });

  describe("baseline and batch reads", () => {
    it("records a 60-job baseline with one conditional write per new row and reads 150 keys back in chunks of 100", async () => {
      // Prepare
      const records = Array.from({ length: 60 }, (_, index) =>
        aRecord(`j${index}`, { status: index % 3 === 0 ? "Completed" : "InProgress" }),
      );
      const absent = Array.from({ length: 90 }, (_, index) => jobArnOf(`absent${index}`));
      const send = vi.spyOn(documents, "send");

      // Act
      const written = await store.recordBaseline(records, T0);
      const read = await store.getRecords([...records.map((entry) => entry.jobArn), ...absent]);
      const state = await store.readState();

      // Assess
      const commands = send.mock.calls.map(([command]) => command);
      send.mockRestore();
      // One conditional UpdateItem per row (never a BatchWrite, which cannot be conditional): a baseline never
      // overwrites a row another writer recorded.
      expect(written).toBe(60);
      expect(commands.filter((command) => command instanceof BatchWriteCommand)).toEqual([]);
      const writes = commands.filter((command) => command instanceof UpdateCommand);
      expect(writes).toHaveLength(60);
      expect(writes.every((command) => command.input.ConditionExpression === "attribute_not_exists(pk)")).toBe(true);
      const gets = commands.filter((command) => command instanceof BatchGetCommand);
      expect(gets.map((command) => command.input.RequestItems?.[tableName]?.Keys?.length)).toEqual([100, 50]);
      expect(gets.every((command) => command.input.RequestItems?.[tableName]?.ConsistentRead === true)).toBe(true);
      expect(read).toEqual(new Map(records.map((entry) => [entry.jobArn, { ...entry, statusSince: T0 }])));
      expect(state.open.size).toBe(40);
      expect([...state.open.values()].every((entry) => announcedStatus(entry) === "InProgress")).toBe(true);
      const terminal = await rawRow(tableName, `job#${jobArnOf("j0")}`);
      expect(terminal?.expiresAt).toBe(Math.floor(T0.getTime() / 1000) + TERMINAL_ROW_RETENTION_SECONDS);
    });

    it("reads each key once even when asked for it twice, and nothing for no keys", async () => {
      // Prepare
      await store.recordBaseline([aRecord("a")], T0);

      // Act
      const twice = await store.getRecords([jobArnOf("a"), jobArnOf("a")]);
      const none = await store.getRecords([]);

      // Assess
      expect([...twice.keys()]).toEqual([jobArnOf("a")]);
      expect(none.size).toBe(0);
    });

    it("keeps a record without lastModifiedTime without one", async () => {
      // Prepare
      const bare = aRecord("a", { lastModifiedTime: undefined });

      // Act
      await store.recordBaseline([bare], T0);

      // Assess
      const { lastModifiedTime: _none, ...withoutTime } = bare;
      expect((await store.getRecords([bare.jobArn])).get(bare.jobArn)).toEqual({ ...withoutTime, statusSince: T0 });
    });
  });

  describe("malformed rows", () => {
    const put = (item: Record<string, unknown>) =>
      client.send(new PutItemCommand({ TableName: tableName, Item: item as never }));

    it("flags rows it cannot trust, with the reason, in readState and getRecords", async () => {
      // Prepare: rows written by hand, as a bug, an operator or another version could leave them.
      const arn = (id: string) => `job#${jobArnOf(id)}`;
      const good = { S: at(-minutes(60)).toISOString() };
      await put({
        pk: { S: arn("num") },
        v: { N: "1" },
        status: { N: "3" },
        submitTime: good,
        openShard: { S: "open" },
      });
      await put({
        pk: { S: arn("garbage") },
        v: { N: "1" },
        status: { S: "InProgress" },
        submitTime: { S: "yesterday-ish" },
        openShard: { S: "open" },
      });
      await put({
        pk: { S: arn("v2") },
        v: { N: "2" },
        status: { S: "Scheduled" },
        submitTime: good,
        openShard: { S: "open" },
      });
      await put({
        pk: { S: arn("lmt") },
        v: { N: "1" },
        status: { S: "InProgress" },
        submitTime: good,
        lastModifiedTime: { N: "1740000000" },
        openShard: { S: "open" },
      });

      // Act
      const state = await store.readState();
      const read = await store.getRecords(["num", "garbage", "v2", "lmt"].map((id) => jobArnOf(id)));

      // Assess
      const reasons = (records: Map<string, StoredRecord>) =>
        Object.fromEntries(
          ["num", "garbage", "v2", "lmt"].map((id) => {
            const stored = records.get(jobArnOf(id));
            return [id, stored && isMalformed(stored) ? stored.malformed : "not flagged"];
          }),
        );
      const expected = {
        num: "status is not a string",
        garbage: "submitTime is not an ISO timestamp",
        v2: "row version 2 is not 1",
        lmt: "lastModifiedTime is not an ISO timestamp",
      };
      expect(reasons(state.open)).toEqual(expected);
      expect(reasons(read)).toEqual(expected);
      // A row that cannot be trusted carries no status or time to be misread: only its job and why.
      expect(read.get(jobArnOf("num"))).toEqual({ jobArn: jobArnOf("num"), malformed: "status is not a string" });
      expect(read.get(jobArnOf("garbage"))).toEqual({
        jobArn: jobArnOf("garbage"),
        malformed: "submitTime is not an ISO timestamp",
      });
    });

    it("names every problem of a row at once", async () => {
      // Prepare
      await put({ pk: { S: `job#${jobArnOf("bad")}` }, status: { S: "" }, submitTime: { N: "5" } });

      // Act
      const read = await store.getRecords([jobArnOf("bad")]);

      // Assess
      expect(read.get(jobArnOf("bad"))).toEqual({
        jobArn: jobArnOf("bad"),
        malformed: "row version undefined is not 1; status is not a string; submitTime is not an ISO timestamp",
      });
    });

    it("reads a watermark that is not an ISO timestamp as none, and warns", async () => {
      // Prepare
      await put({ pk: { S: "meta#poller" }, watermark: { S: "last tuesday" } });

      // Act
      const state = await store.readState();

      // Assess
      expect(state.watermark).toBeNull();
      expect(diagnostics.kinds()).toEqual(["snapshot-meta-malformed"]);
    });

    it("is reported by the poll, which announces the job as first seen and repairs the row", async () => {
      // Prepare: a completed first poll, then one open job's row damaged.
      const clock = new FakeClock(T0);
      const job = aJob("a", {
        status: "InProgress",
        submitTime: at(-minutes(120)),
        lastModifiedTime: at(-minutes(90)),
      });
      const jobs = new FakeJobSource([job]);
      const publisher = new FakePublisher();
      const deps = { jobs, snapshot: store, publisher, diagnostics, clock: clock.now, options: pollOptions() };
      await runPoll(deps, { pollId: "poll-1", deadline: at(minutes(1)) });
      await put({
        pk: { S: `job#${job.jobArn}` },
        v: { N: "7" },
        status: { S: "InProgress" },
        openShard: { S: "open" },
      });
      clock.advance(minutes(5));

      // Act
      const report = await runPoll(deps, { pollId: "poll-2", deadline: at(minutes(6)) });

      // Assess
      expect(diagnostics.warnings).toContainEqual({
        kind: "snapshot-row-malformed",
        details: { jobArn: job.jobArn, reason: "row version 7 is not 1; submitTime is not an ISO timestamp" },
      });
      expect(publisher.sentEvents().map((event) => [event.previousStatus, event.job.status])).toEqual([
        [null, "InProgress"],
      ]);
      expect(report.committed).toBe(1);
      const repaired = (await store.getRecords([job.jobArn])).get(job.jobArn);
      expect(repaired && isMalformed(repaired)).toBe(false);
      expect(announcedStatus(repaired)).toBe("InProgress");
    });
  });

  describe("a missing table", () => {
    it.each([
      ["readState", (s: DynamoDbSnapshotStore) => s.readState()],
      ["getRecords", (s: DynamoDbSnapshotStore) => s.getRecords([jobArnOf("a")])],
      ["acquireLease", (s: DynamoDbSnapshotStore) => s.acquireLease("poll-1", T0, at(minutes(1)))],
      ["releaseLease", (s: DynamoDbSnapshotStore) => s.releaseLease("poll-1", { watermark: T0 })],
      ["advanceWatermark", (s: DynamoDbSnapshotStore) => s.advanceWatermark(T0, T0)],
      ["recordBaseline", (s: DynamoDbSnapshotStore) => s.recordBaseline([aRecord("a")], T0)],
      ["commit", (s: DynamoDbSnapshotStore) => s.commit(aRecord("a"), undefined, T0)],
    ])("makes %s fail with a ResourceMissingError naming SNAPSHOT_TABLE", async (_operation, act) => {
      // Prepare
      const missing = new DynamoDbSnapshotStore(documents, "no-such-table", diagnostics);

      // Act
      const error = await act(missing).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(ResourceMissingError);
      expect((error as Error).message).toContain('"no-such-table"');
      expect((error as Error).message).toContain("SNAPSHOT_TABLE");
      expect((error as Error).cause).toMatchObject({ name: "ResourceNotFoundException" });
    });
  });
});

describe("FakeSnapshotStore (the use-case tests' stand-in)", () => {
  /** One sequence of store operations; returns every answer, so two stores can be compared. */
  async function trace(store: SnapshotStoreUnderTest, diagnostics: RecordingDiagnostics): Promise<unknown[]> {
    const answers: unknown[] = [];
    const state = async () => {
      const { watermark, open } = await store.readState();
      return { watermark: watermark?.toISOString() ?? null, open: [...open.keys()].sort() };
    };
    const open = aRecord("a", { status: "InProgress" });
    answers.push(await state());
    answers.push(await store.acquireLease("p1", T0, at(minutes(15))));
    answers.push(await store.acquireLease("p2", at(minutes(1)), at(minutes(16))));
    answers.push(await store.advanceWatermark(at(-minutes(5)), at(minutes(1))));
    answers.push(await store.commit(open, undefined, T0));
    answers.push(await store.commit(open, undefined, T0));
    answers.push(await store.commit(aRecord("a", { status: "Completed" }), aRecord("a", { status: "Scheduled" }), T0));
    answers.push(await store.commit(aRecord("a", { status: "Completed" }), open, T0));
    answers.push(await store.commit(aRecord("b", { status: "Completed" }), aRecord("b"), T0));
    await store.recordBaseline([aRecord("c", { status: "Scheduled" }), aRecord("d", { status: "Failed" })], T0);
    await store.releaseLease("p2", { watermark: at(-minutes(1)) });
    answers.push(await state());
    await store.releaseLease("p1", { watermark: at(-minutes(10)) });
    answers.push(await state());
    answers.push(await store.advanceWatermark(at(-minutes(20)), at(minutes(2))));
    answers.push(await store.advanceWatermark(at(-minutes(5)), at(minutes(2))));
    answers.push(await store.acquireLease("p2", at(minutes(2)), at(minutes(20))));
    answers.push(await store.advanceWatermark(at(-minutes(1)), at(minutes(3))));
    answers.push(await store.acquireLease("p3", at(minutes(20)), at(minutes(30))));
    answers.push(await store.acquireLease("p3", at(minutes(20) + 1), at(minutes(30))));
    await store.releaseLease("p3");
    answers.push(await state());
    const records = await store.getRecords(["a", "b", "c", "d", "a"].map((id) => jobArnOf(id)));
    answers.push([...records.values()].map((entry) => [entry.jobArn, announcedStatus(entry)]).sort());
    answers.push(diagnostics.kinds());
    return answers;
  }

  type SnapshotStoreUnderTest = Parameters<typeof runPoll>[0]["snapshot"];

  it("answers a sequence of leases, commits and watermark moves exactly as the DynamoDB adapter does", async () => {
    // Prepare
    const adapterDiagnostics = new RecordingDiagnostics();
    const adapter = new DynamoDbSnapshotStore(documents, await createTable(), adapterDiagnostics);
    const fakeDiagnostics = new RecordingDiagnostics();
    const fake = new FakeSnapshotStore(fakeDiagnostics);

    // Act
    const expected = await trace(adapter, adapterDiagnostics);
    const actual = await trace(fake, fakeDiagnostics);

    // Assess
    expect(actual).toEqual(expected);
    expect(expected).toContain(true);
    expect(expected).toContain(false);
  });
});
