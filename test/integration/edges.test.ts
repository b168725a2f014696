import { readFileSync } from "node:fs";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { errorResponse } from "../../tools/chaos/sns-wire";
import { loadPollHandler, type PollHandler } from "../../tools/local-stack/handlers";
import { LOCAL_CREDENTIALS } from "../../tools/local-stack/stack";
import { type BadInputStack, pollWith, startBadInputStack } from "../support/bad-input-stack";
import { captureOutput, jsonLines } from "../support/output";

const HOUR = 3_600_000;
const META = { pk: "meta#poller" };

/** The edges of an eventually consistent API, each through the real poll handler against the local peers. */
describe("nothing lost at the edges", () => {
  let bad: BadInputStack;
  let handler: PollHandler;
  let table: DynamoDBDocumentClient;
  const poll = () => captureOutput(() => pollWith(handler));
  const meta = async () =>
    (await table.send(new GetCommand({ TableName: bad.stack.tableName, Key: META, ConsistentRead: true }))).Item;
  const transitions = async () =>
    (await bad.events()).map((event) => [event.job.jobName, event.previousStatus, event.job.status]);

  async function start(env: Record<string, string> = {}) {
    vi.resetModules();
    bad = await startBadInputStack(env);
    handler = await loadPollHandler();
    table = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: "us-east-1", credentials: LOCAL_CREDENTIALS, endpoint: bad.stack.dynamodbEndpoint }),
    );
  }

  afterEach(async () => {
    table?.destroy();
    await bad?.stop();
  });

  describe("the first poll's listing race", () => {
    beforeEach(() => start());

    it("sees a job that moves from Scheduled to InProgress between the two listings, and announces its end", async () => {
      // Prepare: a job queued two days ago. The InProgress listing is answered at once, the Scheduled one only
      // after the job has moved on: it is in neither status listing.
      const arn = bad.addJob("moves-mid-listing", {
        status: "Scheduled",
        submitTime: new Date(Date.now() - 48 * HOUR),
      });
      bad.bedrockProxy.setHook((request) => {
        if (!request.path.includes("statusEquals=Scheduled")) return { kind: "forward" };
        setTimeout(() => bad.setState(arn, { status: "InProgress" }), 50);
        return { kind: "forward", delayMs: 300 };
      });

      // Act
      const first = await poll();
      bad.bedrockProxy.setHook(undefined);
      bad.setState(arn, { status: "Completed" });
      const second = await poll();

      // Assess: the first run listed the job by its submit time, whatever its status did meanwhile.
      expect(first.result).toMatchObject({ firstRun: true, outcome: "baseline" });
      expect(second.error).toBeUndefined();
      const [[name, previous, status] = []] = await transitions();
      expect([name, status]).toEqual(["moves-mid-listing", "Completed"]);
      expect(["Scheduled", "InProgress"]).toContain(previous);
    });
  });

  describe("a retried FIRST_RUN=notify", () => {
    beforeEach(() => start({ FIRST_RUN: "notify", LOOKBACK_MINUTES: "1" }));

    it("announces what the first attempt meant to, even when the look-back window has moved past it", async () => {
      // Prepare: a job failed 58 s ago, inside the 1-minute look-back window; the first attempt cannot publish.
      const failedAt = new Date(Date.now() - 58_000);
      bad.addJob("failed-before-first-run", {
        status: "Failed",
        message: "Input file not found.",
        submitTime: new Date(failedAt.getTime() - HOUR),
        lastModifiedTime: failedAt,
        endTime: failedAt,
      });
      bad.stack.snsProxy.setHook((request) =>
        request.operation === "PublishBatch"
          ? { kind: "error", status: 500, body: errorResponse("Receiver", "InternalError", "injected") }
          : { kind: "forward" },
      );
      const attempt = await poll();
      bad.stack.snsProxy.setHook(undefined);
      // Time passes: recomputed from now, the window would no longer reach the failure.
      await new Promise((resolve) => setTimeout(resolve, 2_500));

      // Act
      const retry = await poll();

      // Assess
      expect(attempt.result).toMatchObject({ firstRun: true, outcome: "undelivered", publishFailed: 1 });
      expect(retry.result).toMatchObject({ firstRun: true, outcome: "delivered", published: 1 });
      expect(await transitions()).toEqual([["failed-before-first-run", null, "Failed"]]);
      expect(typeof (await meta())?.watermark).toBe("string");
    });
  });

  describe("the daily deep reconciliation", () => {
    beforeEach(() => start());

    it("announces a job that became listable only after the watermark passed it, counts it late and says why", async () => {
      // Prepare: a baseline; then a job appears with a submit time older than the watermark (listing lag), and
      // finishes before anything lists it again. The fast path cannot see it.
      bad.addJob("anchor", { status: "InProgress", submitTime: new Date(Date.now() - 15 * 60_000) });
      await poll();
      await bad.events();
      const watermark = new Date(String((await meta())?.watermark));
      const arn = bad.addJob("listed-late", {
        status: "Completed",
        submitTime: new Date(watermark.getTime() - 30 * 60_000),
        lastModifiedTime: new Date(watermark.getTime() - 20 * 60_000),
        endTime: new Date(watermark.getTime() - 20 * 60_000),
      });
      const quiet = await poll();
      // As far as the meta row knows, the notifier has watched for two days and last listed the window a day ago.
      await table.send(
        new UpdateCommand({
          TableName: bad.stack.tableName,
          Key: META,
          UpdateExpression: "SET deepReconciledAt = :dayAgo, historyBefore = :twoDaysAgo",
          ExpressionAttributeValues: {
            ":dayAgo": new Date(Date.now() - 25 * HOUR).toISOString(),
            ":twoDaysAgo": new Date(Date.now() - 48 * HOUR).toISOString(),
          },
        }),
      );

      // Act
      const deep = await poll();
      const after = await poll();

      // Assess
      expect(quiet.result).toMatchObject({ outcome: "quiet", deepReconciled: false, transitions: 0 });
      expect(deep.result).toMatchObject({ outcome: "delivered", deepReconciled: true, published: 1 });
      expect(await transitions()).toEqual([["listed-late", null, "Completed"]]);
      const warning = jsonLines(deep.text).find((line) => line.message === "reconciled late");
      expect(warning).toMatchObject({ jobArn: arn, status: "Completed", previousStatus: "none" });
      expect(String(warning?.reason)).toContain("no row");
      expect(after.result).toMatchObject({ outcome: "quiet", deepReconciled: false });
      expect(new Date(String((await meta())?.deepReconciledAt)).getTime()).toBeGreaterThan(Date.now() - HOUR);
    });

    it("counts in ReconciledLate how many changes it found late, zero on a day when it found none", async () => {
      // Prepare
      await start({ POWERTOOLS_METRICS_DISABLED: "false", POWERTOOLS_METRICS_NAMESPACE: "Test" });
      await poll();
      await table.send(
        new UpdateCommand({
          TableName: bad.stack.tableName,
          Key: META,
          UpdateExpression: "SET deepReconciledAt = :dayAgo",
          ExpressionAttributeValues: { ":dayAgo": new Date(Date.now() - 25 * HOUR).toISOString() },
        }),
      );

      // Act
      const deep = await poll();

      // Assess
      const emf = jsonLines(deep.text).find((line) => "ReconciledLate" in line);
      expect(emf?.ReconciledLate).toBe(0);
    });
  });

  describe("an upgrade from the single-scope version", () => {
    beforeEach(() => start());

    it("announces nothing its first deep reconciliation finds on a table written by that version, then works on", async () => {
      // Prepare: the table and the jobs exactly as v1 left them (test/fixtures/v1-table.json), moved to now.
      const fixture = JSON.parse(readFileSync(new URL("../fixtures/v1-table.json", import.meta.url), "utf8"));
      const shift = Date.now() - Date.parse(fixture.generatedAt);
      const moved = (iso: string) => new Date(Date.parse(iso) + shift);
      const dynamodb = new DynamoDBClient({
        region: "us-east-1",
        credentials: LOCAL_CREDENTIALS,
        endpoint: bad.stack.dynamodbEndpoint,
      });
      for (const item of fixture.items as Array<Record<string, { S?: string; N?: string }>>) {
        const rebased = Object.fromEntries(
          Object.entries(item).map(([name, value]) => {
            if (value.S && /^\d{4}-\d{2}-\d{2}T/.test(value.S)) return [name, { S: moved(value.S).toISOString() }];
            if (name === "expiresAt" && value.N)
              return [name, { N: String(Number(value.N) + Math.round(shift / 1000)) }];
            return [name, value];
          }),
        );
        await dynamodb.send(new PutItemCommand({ TableName: bad.stack.tableName, Item: rebased as never }));
      }
      dynamodb.destroy();
      for (const job of fixture.jobs) {
        bad.stack.bedrock.addJob({
          ...job,
          submitTime: moved(job.submitTime),
          lastModifiedTime: moved(job.lastModifiedTime),
          ...(job.endTime ? { endTime: moved(job.endTime) } : {}),
        });
      }

      // Act
      const upgrade = await poll();
      const running = fixture.jobs.find((job: { jobId: string }) => job.jobId === "running00001");
      bad.setState(`arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/${running.jobId}`, {
        status: "Completed",
      });
      const next = await poll();

      // Assess: the two jobs that ended before v1 ever ran stay silent; nothing v1 announced or baselined is
      // announced again; the next real change goes out once.
      expect(upgrade.error).toBeUndefined();
      expect(upgrade.result).toMatchObject({ firstRun: false, deepReconciled: true, transitions: 0, published: 0 });
      expect(next.result).toMatchObject({ published: 1 });
      expect(await transitions()).toEqual([["long-running", "InProgress", "Completed"]]);
      expect(typeof (await meta())?.historyBefore).toBe("string");
    });
  });
});
