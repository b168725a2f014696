import { describe, expect, it } from "vitest";
import type { JobStatusEvent } from "../../src/domain/event";
import { isDigest, type NotifierEvent } from "../../src/domain/notifier-event";
import { ChannelDeliveryError, DeliveryInProgressError } from "../../src/errors";
import type { NotificationChannel } from "../../src/notify/channel";
import { notifyChannel } from "../../src/notify/notify-channel";
import type { DeliveryLedger, LedgerOutcome } from "../../src/notify/ports";
import { CASES, DIGEST_CASES, WARNING_CASES } from "../../tools/samples/events";
import { snsEventOf } from "../support/factories";
import { RecordingLogger } from "../support/recording-logger";

const failed = CASES["failed-long-message"] as JobStatusEvent;
const completed = CASES.completed as JobStatusEvent;
const SECRET_REASON = "Input validation failed.";

/** A job's status, or the digest's type (it has no job). */
const statusOf = (event: NotifierEvent): string => (isDigest(event) ? event.type : event.job.status);

/** A channel that records what it was asked to deliver and fails for the statuses it is told to. */
class FakeChannel implements NotificationChannel {
  readonly name = "fake";
  readonly delivered: NotifierEvent[] = [];
  constructor(private readonly failFor: ReadonlySet<string> = new Set()) {}
  async deliver(event: NotifierEvent): Promise<void> {
    if (this.failFor.has(statusOf(event))) throw new Error(`downstream refused ${statusOf(event)}`);
    this.delivered.push(event);
  }
}

describe("notifyChannel", () => {
  it("delivers each valid event of the SNS invocation to the channel", async () => {
    // Prepare
    const channel = new FakeChannel();
    const logger = new RecordingLogger();

    // Act
    const outcome = await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger });

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(channel.delivered).toEqual([failed]);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: "info", details: expect.objectContaining({ eventId: failed.eventId }) }),
    );
  });

  it("delivers an early warning instead of skipping it as malformed, logging its kind", async () => {
    // Prepare
    const warning = WARNING_CASES["warning-no-progress"] as NotifierEvent;
    const channel = new FakeChannel();
    const logger = new RecordingLogger();

    // Act
    const outcome = await notifyChannel(snsEventOf(JSON.stringify(warning), JSON.stringify(completed)), {
      channel,
      logger,
    });

    // Assess
    expect(outcome).toEqual({ delivered: 2, skipped: 0, duplicates: 0 });
    expect(channel.delivered).toEqual([warning, completed]);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: "info",
        details: expect.objectContaining({ eventId: warning.eventId, type: "JobWarning", warningKind: "NoProgress" }),
      }),
    );
  });

  it("skips malformed bodies without logging their content and still delivers the valid ones", async () => {
    // Prepare
    const channel = new FakeChannel();
    const logger = new RecordingLogger();
    const wrongVersion = JSON.stringify({ ...failed, schemaVersion: "2.0" });
    const missingJob = JSON.stringify({ ...failed, job: undefined });

    // Act
    const outcome = await notifyChannel(
      snsEventOf(`not json ${SECRET_REASON}`, wrongVersion, missingJob, JSON.stringify(completed)),
      { channel, logger },
    );

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 3, duplicates: 0 });
    expect(channel.delivered.map(statusOf)).toEqual(["Completed"]);
    expect(logger.entries.filter((entry) => entry.level === "warn")).toHaveLength(3);
    expect(logger.text()).not.toContain(SECRET_REASON);
  });

  it("throws after trying every event when one delivery fails, so Lambda retries and then dead-letters", async () => {
    // Prepare
    const channel = new FakeChannel(new Set(["Failed"]));
    const logger = new RecordingLogger();

    // Act
    const run = notifyChannel(snsEventOf(JSON.stringify(failed), JSON.stringify(completed)), { channel, logger });

    // Assess
    await expect(run).rejects.toBeInstanceOf(ChannelDeliveryError);
    await expect(run).rejects.toThrow("1 of 2 event(s) could not be delivered to fake");
    expect(channel.delivered.map(statusOf)).toEqual(["Completed"]);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: "error",
        details: expect.objectContaining({ eventId: failed.eventId, errorMessage: "downstream refused Failed" }),
      }),
    );
    expect(logger.text()).not.toContain(SECRET_REASON);
  });

  it("carries the delivery error as the cause", async () => {
    // Prepare
    const channel = new FakeChannel(new Set(["Failed"]));

    // Act
    const error = await notifyChannel(snsEventOf(JSON.stringify(failed)), {
      channel,
      logger: new RecordingLogger(),
    }).catch((caught: unknown) => caught);

    // Assess
    expect((error as ChannelDeliveryError).cause).toEqual(new Error("downstream refused Failed"));
  });

  it("ignores an invocation that carries no SNS records instead of crashing", async () => {
    // Prepare
    const logger = new RecordingLogger();

    // Act
    const outcome = await notifyChannel({} as never, { channel: new FakeChannel(), logger });

    // Assess
    expect(outcome).toEqual({ delivered: 0, skipped: 0, duplicates: 0 });
    expect(logger.entries[0]?.level).toBe("warn");
  });

  it("delivers the daily digest like any event, and logs it by type, with no status of its own", async () => {
    // Prepare
    const digest = DIGEST_CASES.digest as NotifierEvent;
    const channel = new FakeChannel();
    const logger = new RecordingLogger();

    // Act
    const outcome = await notifyChannel(snsEventOf(JSON.stringify(digest)), { channel, logger });

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(channel.delivered).toEqual([digest]);
    const delivered = logger.entries.find((entry) => entry.message === "Event delivered");
    expect(delivered?.details).toMatchObject({ eventId: digest.eventId, type: "DailyDigest" });
    expect(delivered?.details).not.toHaveProperty("status");
  });
});

/**
 * An in-memory ledger with the port's contract: delivers an event id once, forgets it when the delivery failed;
 * `busy` ids are being delivered elsewhere; `unrecorded` ids are delivered but their record fails.
 */
class FakeLedger implements DeliveryLedger {
  readonly delivered = new Set<string>();
  constructor(private readonly options: { busy?: ReadonlySet<string>; unrecorded?: ReadonlySet<string> } = {}) {}
  async once(eventId: string, deliver: () => Promise<void>): Promise<LedgerOutcome> {
    if (this.options.busy?.has(eventId)) throw new DeliveryInProgressError("fake", eventId);
    if (this.delivered.has(eventId)) return "duplicate";
    await deliver();
    if (this.options.unrecorded?.has(eventId)) return "delivered-unrecorded";
    this.delivered.add(eventId);
    return "delivered";
  }
}

describe("notifyChannel with a delivery ledger", () => {
  it("drops a re-send of an event the ledger says was delivered, and counts and logs it apart", async () => {
    // Prepare
    const channel = new FakeChannel();
    const ledger = new FakeLedger();
    const logger = new RecordingLogger();
    const body = JSON.stringify(failed);

    // Act
    const first = await notifyChannel(snsEventOf(body), { channel, logger, ledger });
    const resent = await notifyChannel(snsEventOf(body, JSON.stringify(completed)), { channel, logger, ledger });

    // Assess
    expect(first).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(resent).toEqual({ delivered: 1, skipped: 0, duplicates: 1 });
    expect(channel.delivered.map((event) => event.eventId)).toEqual([failed.eventId, completed.eventId]);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: "info",
        message: "Re-send dropped: this event was already delivered here",
        details: expect.objectContaining({ eventId: failed.eventId }),
      }),
    );
  });

  it("fails the invocation while another one delivers the same event, so Lambda retries it instead of losing it", async () => {
    // Prepare
    const channel = new FakeChannel();
    const ledger = new FakeLedger({ busy: new Set([failed.eventId]) });

    // Act
    const error = await notifyChannel(snsEventOf(JSON.stringify(failed)), {
      channel,
      logger: new RecordingLogger(),
      ledger,
    }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ChannelDeliveryError);
    expect((error as Error).cause).toBeInstanceOf(DeliveryInProgressError);
    expect(channel.delivered).toEqual([]);
  });

  it("succeeds with a warning when the post went out but its record did not, since a retry would surely post again", async () => {
    // Prepare
    const channel = new FakeChannel();
    const ledger = new FakeLedger({ unrecorded: new Set([failed.eventId]) });
    const logger = new RecordingLogger();

    // Act
    const outcome = await notifyChannel(snsEventOf(JSON.stringify(failed)), { channel, logger, ledger });

    // Assess
    expect(outcome).toEqual({ delivered: 1, skipped: 0, duplicates: 0 });
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: "warn", details: expect.objectContaining({ eventId: failed.eventId }) }),
    );
  });
});
