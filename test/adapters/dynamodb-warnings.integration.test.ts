import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbSnapshotStore, ROW_VERSION, snapshotKeysFor } from "../../src/adapters/dynamodb";
import { type LocalPeer, startDynalite } from "../../tools/local-stack/peers";
import { LOCAL_CREDENTIALS } from "../../tools/local-stack/stack";
import { createSnapshotTable } from "../../tools/local-stack/template";
import { aRecord, at, jobArnOf, minutes, T0 } from "../support/factories";
import { RecordingDiagnostics } from "../support/fakes";

let peer: LocalPeer;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let tables = 0;

beforeAll(async () => {
  peer = await startDynalite();
  client = new DynamoDBClient({ endpoint: peer.endpoint, region: "us-east-1", credentials: LOCAL_CREDENTIALS });
  documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  client?.destroy();
  await peer?.stop();
});

async function store() {
  const tableName = `warnings-${++tables}`;
  await createSnapshotTable(client, tableName);
  return { tableName, snapshot: new DynamoDbSnapshotStore(documents, tableName, new RecordingDiagnostics()) };
}

const row = async (tableName: string, jobArn: string) =>
  (await documents.send(new GetCommand({ TableName: tableName, Key: { pk: `job#${jobArn}` }, ConsistentRead: true })))
    .Item;

describe("DynamoDbSnapshotStore and early warnings, on dynalite", () => {
  it("records when a status was first seen with the baseline and every commit", async () => {
    // Prepare
    const { tableName, snapshot } = await store();
    const record = aRecord("a", { status: "Scheduled" });

    // Act
    await snapshot.recordBaseline([record], T0);
    const baseline = (await snapshot.getRecords([record.jobArn])).get(record.jobArn);
    await snapshot.commit({ ...record, status: "InProgress" }, baseline, at(minutes(30)));
    const committed = (await snapshot.getRecords([record.jobArn])).get(record.jobArn);

    // Assess
    expect(baseline).toMatchObject({ status: "Scheduled", statusSince: T0 });
    expect(committed).toMatchObject({ status: "InProgress", statusSince: at(minutes(30)) });
    expect((await row(tableName, record.jobArn))?.statusSince).toBe(at(minutes(30)).toISOString());
  });

  it("records a warning kind once, only while the row holds the status it was decided on, and keeps it across a commit", async () => {
    // Prepare
    const { snapshot } = await store();
    const record = aRecord("b", { status: "InProgress" });
    await snapshot.recordBaseline([record], T0);

    // Act
    const first = await snapshot.recordWarning(record.jobArn, "InProgress", "HighErrorRate", at(minutes(1)));
    const again = await snapshot.recordWarning(record.jobArn, "InProgress", "HighErrorRate", at(minutes(2)));
    const wrongStatus = await snapshot.recordWarning(record.jobArn, "Scheduled", "StuckInStatus", at(minutes(2)));
    const another = await snapshot.recordWarning(record.jobArn, "InProgress", "MayNotFinish", at(minutes(3)));
    const before = (await snapshot.getRecords([record.jobArn])).get(record.jobArn);
    await snapshot.commit({ ...record, status: "Completed" }, before, at(minutes(10)));
    const after = (await snapshot.getRecords([record.jobArn])).get(record.jobArn);

    // Assess
    expect([first, again, wrongStatus, another]).toEqual([true, false, false, true]);
    expect(before).toMatchObject({
      warned: expect.arrayContaining(["HighErrorRate", "MayNotFinish"]),
      warnedAt: { HighErrorRate: at(minutes(1)), MayNotFinish: at(minutes(3)) },
    });
    expect(after).toMatchObject({
      status: "Completed",
      warned: expect.arrayContaining(["HighErrorRate", "MayNotFinish"]),
    });
  });

  it("refuses to record a warning for a job without a row", async () => {
    const { snapshot } = await store();
    expect(await snapshot.recordWarning(jobArnOf("nobody"), "InProgress", "NoProgress", T0)).toBe(false);
  });

  it("reads a row written before warnings existed as first seen when it was written", async () => {
    // Prepare: a single-scope row (no statusSince, no warned), as the previous version wrote it.
    const { tableName, snapshot } = await store();
    const jobArn = jobArnOf("old");
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: `job#${jobArn}`,
          v: ROW_VERSION,
          status: "Validating",
          submitTime: at(-minutes(300)).toISOString(),
          updatedAt: at(-minutes(200)).toISOString(),
          openShard: snapshotKeysFor(
            { accountId: "123456789012", region: "us-east-1" },
            { accountId: "123456789012", region: "us-east-1" },
          ).openShard,
        },
      }),
    );

    // Act
    const state = await snapshot.readState();

    // Assess
    expect(state.open.get(jobArn)).toEqual({
      jobArn,
      status: "Validating",
      submitTime: at(-minutes(300)),
      statusSince: at(-minutes(200)),
    });
  });
});
