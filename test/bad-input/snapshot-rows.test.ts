import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PollHandler } from "../../tools/local-stack/handlers";
import { loadPollHandler } from "../../tools/local-stack/handlers";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../tools/local-stack/stack";
import { type BadInputStack, pollWith, startBadInputStack } from "../support/bad-input-stack";
import { captureOutput, skips } from "../support/output";

describe("snapshot rows this version cannot trust, through the real poll handler", () => {
  let bad: BadInputStack;
  let handler: PollHandler;
  let table: DynamoDBDocumentClient;
  const poll = () => captureOutput(() => pollWith(handler));

  const putRow = (item: Record<string, unknown>) =>
    table.send(new PutCommand({ TableName: bad.stack.tableName, Item: item }));
  const row = async (jobArn: string) =>
    (await table.send(new GetCommand({ TableName: bad.stack.tableName, Key: { pk: `job#${jobArn}` } }))).Item;

  beforeAll(async () => {
    bad = await startBadInputStack();
    // Written straight to dynalite, as another version (or a hand edit) would have left them.
    table = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        endpoint: bad.stack.dynamodbEndpoint,
      }),
    );
    handler = await loadPollHandler();
    await pollWith(handler);
  });

  beforeEach(async () => {
    await bad.events();
  });

  afterAll(async () => {
    table?.destroy();
    await bad?.stop();
  });

  it("reports a row with members of the wrong type, still announces the job, and repairs the row", async () => {
    // Prepare
    const arn = bad.addJob("wrong-types");
    bad.setState(arn, { status: "InProgress" });
    await putRow({ pk: `job#${arn}`, v: 1, status: 3, submitTime: 1_724_885_873, openShard: "open" });

    // Act
    const { error, text } = await poll();

    // Assess
    expect(error).toBeUndefined();
    expect(skips(text)).toContainEqual(
      expect.objectContaining({
        kind: "snapshot-row-malformed",
        jobArn: arn,
        reason: "status is not a string; submitTime is not an ISO timestamp",
      }),
    );
    const [event] = await bad.events();
    expect(event).toMatchObject({
      type: "JobDiscovered",
      previousStatus: null,
      job: { jobArn: arn, status: "InProgress" },
    });
    expect(await row(arn)).toMatchObject({ v: 1, status: "InProgress", openShard: "open" });
  });

  it("reports a row of an unknown schema version (v: 2) and still announces the job's change", async () => {
    // Prepare
    const arn = bad.addJob("row-from-v2");
    const submitTime = bad.clock.now().toISOString();
    await putRow({ pk: `job#${arn}`, v: 2, status: "Submitted", submitTime, openShard: "open", extra: { x: 1 } });
    bad.setState(arn, { status: "Completed" });

    // Act
    const { error, text } = await poll();

    // Assess
    expect(error).toBeUndefined();
    expect(skips(text)).toContainEqual(
      expect.objectContaining({ kind: "snapshot-row-malformed", jobArn: arn, reason: "row version 2 is not 1" }),
    );
    const events = await bad.events();
    expect(events.map((event) => [event.previousStatus, event.job.status])).toEqual([[null, "Completed"]]);
    expect(await row(arn)).toMatchObject({ v: 1, status: "Completed" });
  });

  it("reports a watermark that is not a timestamp, starts over as a first run, and loses no change", async () => {
    // Prepare
    const arn = bad.addJob("changes-across-a-reset");
    bad.setState(arn, { status: "InProgress" });
    await poll();
    await bad.events();
    await table.send(
      new UpdateCommand({
        TableName: bad.stack.tableName,
        Key: { pk: "meta#poller" },
        UpdateExpression: "SET watermark = :bad",
        ExpressionAttributeValues: { ":bad": "yesterday" },
      }),
    );
    bad.setState(arn, { status: "Completed" });

    // Act
    const reset = await poll();
    const next = await poll();

    // Assess
    expect(reset.error).toBeUndefined();
    expect(skips(reset.text)).toContainEqual(
      expect.objectContaining({ kind: "snapshot-meta-malformed", reason: "watermark is not an ISO timestamp" }),
    );
    expect(reset.result).toMatchObject({ firstRun: true, outcome: "baseline" });
    expect(next.result?.firstRun).toBe(false);
    const events = await bad.events();
    expect(events.map((event) => [event.previousStatus, event.job.status])).toEqual([["InProgress", "Completed"]]);
  });
});
