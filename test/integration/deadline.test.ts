import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { JobStatusEvent } from "../../src/domain/event";
import { ManualClock } from "../../tools/bedrock-emulator/src";
import { loadNotifyHandler, loadPollHandler, type PollHandler } from "../../tools/local-stack/handlers";
import type { ProxyHook } from "../../tools/local-stack/proxy";
import { type LocalStack, startLocalStack } from "../../tools/local-stack/stack";
import { CASES } from "../../tools/samples/events";
import { lambdaContext, scheduledEvent, snsEventOf } from "../support/factories";
import { captureOutput } from "../support/output";

/** Far beyond every Lambda timeout below: a handler that waited for SNS would run into middy's own timeout. */
const STUCK_MS = 60_000;
/** SNS holds every request of `operation` and then fails it, so nothing it held is ever published late. */
const stuck =
  (operation: string): ProxyHook =>
  (request) =>
    request.operation === operation ? { kind: "error", status: 500, body: "", delayMs: STUCK_MS } : { kind: "forward" };

/** How an invocation ended, and when, relative to its start. */
async function invoke<T>(run: () => Promise<T>): Promise<{ result?: T; error?: unknown; elapsedMs: number }> {
  const startedAt = Date.now();
  const { result, error } = await captureOutput(run);
  return { result, error, elapsedMs: Date.now() - startedAt };
}

/**
 * The real handlers, with SNS holding their requests far longer than the Lambda timeout: each invocation ends on
 * its own, before its deadline (where middy would answer with its TimeoutError and leave the request hanging).
 */
describe("handlers whose SNS requests never get an answer", () => {
  let stack: LocalStack;
  let clock: ManualClock;
  let poll: PollHandler;

  beforeAll(async () => {
    clock = new ManualClock(new Date(Date.now() - 5 * 60_000));
    stack = await startLocalStack({ clock, seed: 13 });
    Object.assign(process.env, stack.env, {
      FIRST_RUN: "baseline",
      LOOKBACK_MINUTES: "60",
      EMAIL_TOPIC_ARN: stack.topicArn,
      POWERTOOLS_LOG_LEVEL: "ERROR",
      POWERTOOLS_METRICS_DISABLED: "true",
    });
    vi.resetModules();
    poll = await loadPollHandler();
    // The baseline, and warm clients: the poll below reaches its publish well before the 5 s delivery margin.
    await captureOutput(() => poll(scheduledEvent(), lambdaContext()));
  });

  afterAll(async () => {
    stack?.snsProxy.setHook(undefined);
    await stack?.stop();
  });

  it("the poll stops before its deadline when PublishBatch hangs, and the next poll sends the event", async () => {
    // Prepare
    clock.advance(1_000);
    const jobArn = stack.bedrock.addJob({ jobName: "published-while-sns-hangs", status: "Submitted" }).jobArn;
    stack.snsProxy.setHook(stuck("PublishBatch"));
    const timeoutMs = 6_500;

    // Act
    const stuckPoll = await invoke(() => poll(scheduledEvent(), lambdaContext(timeoutMs)));
    stack.snsProxy.setHook(undefined);
    // The lease is held until the stopped invocation's deadline.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, timeoutMs - stuckPoll.elapsedMs + 50)));
    const next = await invoke(() => poll(scheduledEvent(), lambdaContext()));
    const delivered = await stack.drain(stack.allEventsQueueUrl);

    // Assess
    expect(stack.snsProxy.counts().PublishBatch).toBeGreaterThanOrEqual(1);
    // The publish was cut 1 s (the safety margin) before the deadline; releasing the lease then had no time left.
    expect(stuckPoll.error).toMatchObject({ name: "RequestDeadlineError" });
    expect(stuckPoll.elapsedMs).toBeLessThan(timeoutMs - 250);
    expect(next.result).toMatchObject({ outcome: "delivered", published: 1 });
    const events = delivered.map((message) => JSON.parse(message.body) as JobStatusEvent);
    expect(events.map((event) => event.job.jobArn)).toEqual([jobArn]);
  });

  it("a notify function fails its delivery before its deadline when Publish hangs, so Lambda retries it", async () => {
    // Prepare
    const notifyEmail = await loadNotifyHandler("notify-email");
    stack.snsProxy.setHook(stuck("Publish"));
    const timeoutMs = 2_500;

    // Act
    const { error, elapsedMs } = await invoke(() =>
      notifyEmail(snsEventOf(JSON.stringify(CASES.completed)), lambdaContext(timeoutMs)),
    );

    // Assess
    expect(error).toMatchObject({ name: "ChannelDeliveryError" });
    expect((error as Error).cause).toMatchObject({
      name: expect.stringMatching(/^(RequestDeadlineError|TimeoutError)$/),
    });
    expect(elapsedMs).toBeLessThan(timeoutMs - 250);
  });
});
