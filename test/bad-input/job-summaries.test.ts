import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PollHandler } from "../../tools/local-stack/handlers";
import { loadPollHandler } from "../../tools/local-stack/handlers";
import { type BadInputStack, forJob, pollWith, type Summary, startBadInputStack } from "../support/bad-input-stack";
import { captureOutput, skips } from "../support/output";

const DAY = 24 * 3_600_000;

const without =
  (...members: string[]) =>
  (summary: Summary): Summary =>
    Object.fromEntries(Object.entries(summary).filter(([name]) => !members.includes(name)));

describe("job summaries Bedrock should not send, through the real poll handler", () => {
  let bad: BadInputStack;
  let handler: PollHandler;
  const poll = () => captureOutput(() => pollWith(handler));

  beforeAll(async () => {
    bad = await startBadInputStack();
    handler = await loadPollHandler();
    await pollWith(handler); // the first run: a baseline of nothing
  });

  beforeEach(async () => {
    bad.rewriteSummaries(undefined);
    await bad.events();
  });

  afterAll(async () => {
    await bad?.stop();
  });

  it("announces a status it does not know as it is, and still announces the job's end", async () => {
    // Prepare
    const arn = bad.addJob("unknown-status");
    bad.rewriteSummaries(forJob(arn, (summary) => ({ ...summary, status: "Archiving" })));

    // Act
    const first = await poll();
    bad.rewriteSummaries(undefined);
    bad.setState(arn, { status: "Completed" });
    const second = await poll();

    // Assess
    expect(first.error).toBeUndefined();
    expect(second.error).toBeUndefined();
    const events = await bad.events();
    expect(events.map((event) => [event.previousStatus, event.job.status, event.severity])).toEqual([
      [null, "Archiving", "info"],
      ["Archiving", "Completed", "info"],
    ]);
  });

  it("announces a job whose optional members are missing, with nulls in the event", async () => {
    // Prepare
    const arn = bad.addJob("optional-missing");
    const optional = ["message", "lastModifiedTime", "endTime", "jobExpirationTime", "timeoutDurationInHours"];
    const counts = ["totalRecordCount", "processedRecordCount", "successRecordCount", "errorRecordCount"];
    bad.rewriteSummaries(forJob(arn, without(...optional, ...counts, "modelInvocationType", "vpcConfig")));

    // Act
    const { error } = await poll();

    // Assess
    expect(error).toBeUndefined();
    const [event] = await bad.events();
    expect(event?.job).toMatchObject({
      jobArn: arn,
      status: "Submitted",
      message: null,
      lastModifiedTime: null,
      endTime: null,
      jobExpirationTime: null,
      timeoutDurationInHours: null,
      modelInvocationType: null,
      records: { total: null, processed: null, success: null, error: null },
    });
  });

  it("announces a job whose optional members are null, as if they were missing", async () => {
    // Prepare
    const arn = bad.addJob("optional-null");
    const nulls = { message: null, endTime: null, lastModifiedTime: null, totalRecordCount: null, vpcConfig: null };
    bad.rewriteSummaries(forJob(arn, (summary) => ({ ...summary, ...nulls })));

    // Act
    const { error } = await poll();

    // Assess
    expect(error).toBeUndefined();
    const [event] = await bad.events();
    expect(event?.job).toMatchObject({ jobArn: arn, message: null, endTime: null, lastModifiedTime: null });
    expect(event?.job.records.total).toBeNull();
  });

  it("skips and logs a summary without its name and model, and announces the job once it is whole", async () => {
    // Prepare
    const broken = bad.addJob("required-missing");
    const healthy = bad.addJob("beside-a-broken-one");
    bad.rewriteSummaries(forJob(broken, without("jobName", "modelId")));

    // Act
    const skipped = await poll();
    bad.rewriteSummaries(undefined);
    await poll();

    // Assess
    expect(skipped.error).toBeUndefined();
    expect(skips(skipped.text)).toContainEqual(
      expect.objectContaining({
        kind: "job-summary-invalid",
        jobArn: broken,
        reason: "missing or invalid jobName, modelId",
      }),
    );
    const events = await bad.events();
    expect(events.map((event) => event.job.jobArn)).toEqual([healthy, broken]);
  });

  it("skips and logs a summary without a job ARN, naming what is missing", async () => {
    // Prepare
    const arn = bad.addJob("arn-missing");
    bad.rewriteSummaries(forJob(arn, without("jobArn")));

    // Act
    const skipped = await poll();
    bad.rewriteSummaries(undefined);
    await poll();

    // Assess
    expect(skips(skipped.text)).toContainEqual(
      expect.objectContaining({ kind: "job-summary-invalid", reason: "missing or invalid jobArn" }),
    );
    expect((await bad.events()).map((event) => event.job.jobArn)).toEqual([arn]);
  });

  it("fails the poll, committing nothing, on a timestamp the SDK cannot read; the next poll catches up", async () => {
    // Prepare
    const arn = bad.addJob("epoch-timestamp");
    bad.rewriteSummaries(forJob(arn, (summary) => ({ ...summary, submitTime: 1_724_885_873 })));

    // Act
    const failed = await poll();
    bad.rewriteSummaries(undefined);
    const next = await poll();

    // Assess
    expect(String(failed.error)).toMatch(/RFC-3339 date-times must be expressed as strings/);
    expect(next.error).toBeUndefined();
    expect((await bad.events()).map((event) => event.job.jobArn)).toEqual([arn]);
  });

  it("announces a job stamped in the future, keeps the watermark to its own time, and announces the job's end", async () => {
    // Prepare
    const future = new Date(Date.now() + DAY).toISOString();
    const ahead = bad.addJob("from-the-future");
    bad.rewriteSummaries(forJob(ahead, (summary) => ({ ...summary, submitTime: future, lastModifiedTime: future })));

    // Act
    const first = await poll();
    bad.rewriteSummaries(undefined);
    bad.addJob("submitted-after-it");
    bad.setState(ahead, { status: "Completed" });
    const second = await poll();

    // Assess
    expect(first.result?.watermark?.getTime()).toBeLessThan(Date.now());
    expect(second.error).toBeUndefined();
    const events = await bad.events();
    const moves = events.map((event) => [event.job.jobName, event.previousStatus, event.job.status]);
    expect(moves).toHaveLength(3);
    expect(moves).toEqual(
      expect.arrayContaining([
        ["from-the-future", null, "Submitted"],
        ["submitted-after-it", null, "Submitted"],
        ["from-the-future", "Submitted", "Completed"],
      ]),
    );
  });

  it("skips and logs a stale sighting older than what was announced, then announces the real next change", async () => {
    // Prepare
    const arn = bad.addJob("stale-sighting");
    bad.setState(arn, { status: "InProgress" });
    await poll();
    const older = new Date(bad.clock.now().getTime() - 60_000).toISOString();
    bad.rewriteSummaries(forJob(arn, (summary) => ({ ...summary, status: "Scheduled", lastModifiedTime: older })));

    // Act
    const stale = await poll();
    bad.rewriteSummaries(undefined);
    bad.setState(arn, { status: "Completed" });
    await poll();

    // Assess
    expect(skips(stale.text)).toContainEqual(
      expect.objectContaining({ kind: "sighting-skipped", jobArn: arn, reason: "stale" }),
    );
    const events = await bad.events();
    expect(events.map((event) => [event.previousStatus, event.job.status])).toEqual([
      [null, "InProgress"],
      ["InProgress", "Completed"],
    ]);
  });

  it("ignores a page that shows an announced terminal job as open again", async () => {
    // Prepare
    const arn = bad.addJob("terminal-then-open");
    bad.setState(arn, { status: "Completed" });
    await poll();
    const later = new Date(bad.clock.now().getTime() + 60_000).toISOString();
    bad.rewriteSummaries(forJob(arn, (summary) => ({ ...summary, status: "InProgress", lastModifiedTime: later })));

    // Act
    const reopened = await poll();

    // Assess
    expect(skips(reopened.text)).toContainEqual(
      expect.objectContaining({ kind: "sighting-skipped", jobArn: arn, reason: "terminal-already-announced" }),
    );
    expect((await bad.events()).map((event) => event.job.status)).toEqual(["Completed"]);
  });

  it("keeps watching a job that vanished from Bedrock (Get answers 404), logs it, and announces its return", async () => {
    // Prepare
    // A two-day-old job is in no recent listing: only the open lists, then Get, can find it.
    const arn = bad.addJob("vanishing", { submitTime: new Date(bad.clock.now().getTime() - 2 * DAY) });
    bad.setState(arn, { status: "InProgress" });
    await poll();
    bad.rewriteSummaries(forJob(arn, () => undefined));

    // Act
    const gone = await poll();
    bad.rewriteSummaries(undefined);
    bad.setState(arn, { status: "Completed" });
    const back = await poll();

    // Assess
    expect(gone.error).toBeUndefined();
    expect(skips(gone.text)).toContainEqual(expect.objectContaining({ kind: "job-vanished", jobArn: arn }));
    expect(back.result?.fetched).toBeGreaterThanOrEqual(1);
    const ends = (await bad.events()).filter((event) => event.job.jobArn === arn);
    expect(ends.map((event) => [event.previousStatus, event.job.status])).toEqual([
      [null, "InProgress"],
      ["InProgress", "Completed"],
    ]);
  });

  it("starts a listing over once when Bedrock rejects its own page token, and completes the poll", async () => {
    // Prepare
    const arn = bad.addJob("after-a-bad-token");
    let forged = 0;
    bad.bedrockProxy.setHook((request) =>
      request.path.startsWith("/model-invocation-jobs?") && !request.path.includes("nextToken") && forged++ === 0
        ? {
            kind: "forward",
            respond: (response) => {
              const page = JSON.parse(response.body.toString("utf8"));
              return { ...response, body: Buffer.from(JSON.stringify({ ...page, nextToken: "Zm9yZ2Vk" })) };
            },
          }
        : { kind: "forward" },
    );

    // Act
    const { error, text } = await poll();

    // Assess
    expect(error).toBeUndefined();
    expect(skips(text)).toContainEqual(
      expect.objectContaining({ kind: "list-restarted", reason: "page token rejected" }),
    );
    expect((await bad.events()).map((event) => event.job.jobArn)).toEqual([arn]);
  });

  it("fails with a ListingError when Bedrock rejects its page tokens twice in a row, then catches up", async () => {
    // Prepare
    const arn = bad.addJob("after-two-bad-tokens");
    bad.bedrockProxy.setHook((request) =>
      request.path.startsWith("/model-invocation-jobs?") && !request.path.includes("nextToken")
        ? {
            kind: "forward",
            respond: (response) => {
              const page = JSON.parse(response.body.toString("utf8"));
              return { ...response, body: Buffer.from(JSON.stringify({ ...page, nextToken: "Zm9yZ2Vk" })) };
            },
          }
        : { kind: "forward" },
    );

    // Act
    const failed = await poll();
    bad.bedrockProxy.setHook(undefined);
    await poll();

    // Assess
    expect(failed.error).toMatchObject({
      name: "ListingError",
      message: "Bedrock rejected its own page token twice in a row",
    });
    expect((await bad.events()).map((event) => event.job.jobArn)).toEqual([arn]);
  });

  it("never announces a move back to an earlier status shown without lastModifiedTime, and keeps the real previousStatus", async () => {
    // Prepare: the job is announced InProgress; then a lagging listing shows it Scheduled, without the optional
    // lastModifiedTime, so no timestamp can tell the sighting is old.
    const arn = bad.addJob("backwards", { status: "Scheduled" });
    await poll();
    bad.setState(arn, { status: "InProgress" });
    await poll();
    await bad.events();
    bad.rewriteSummaries(
      forJob(arn, ({ lastModifiedTime: _dropped, ...summary }) => ({ ...summary, status: "Scheduled" })),
    );

    // Act
    const stale = await poll();
    bad.rewriteSummaries(undefined);
    bad.setState(arn, { status: "Completed" });
    await poll();

    // Assess
    expect(stale.error).toBeUndefined();
    expect(skips(stale.text)).toContainEqual(
      expect.objectContaining({ kind: "sighting-skipped", jobArn: arn, reason: "backwards" }),
    );
    const events = await bad.events();
    expect(events.map((event) => [event.previousStatus, event.job.status])).toEqual([["InProgress", "Completed"]]);
  });
});
