import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { JobStatusEvent } from "../../../src/domain/event";
import { ManualClock } from "../../../tools/bedrock-emulator/src";
import { FaultController, NO_FAULTS } from "../../../tools/chaos/faults";
import { type PollHandler, useStack } from "../../../tools/chaos/handler";
import { SnapshotTable } from "../../../tools/chaos/snapshot-table";
import { lambdaContext, scheduledEvent } from "../../../tools/local-stack/lambda-events";
import { type LocalStack, startLocalStack } from "../../../tools/local-stack/stack";

/**
 * Each kind of fault the campaign injects, once, deterministically: what the campaign relies on happening
 * (a crash really re-sends, a short timeout really defers) is asserted here rather than hoped for there.
 */
describe("the campaign's fault kinds against the real poll handler", () => {
  let stack: LocalStack;
  let clock: ManualClock;
  let faults: FaultController;
  let table: SnapshotTable;
  let handler: PollHandler;
  const poll = (timeoutMs = 20_000) => handler(scheduledEvent(), lambdaContext(timeoutMs));
  const events = async (): Promise<JobStatusEvent[]> =>
    (await stack.drain(stack.allEventsQueueUrl)).map((message) => JSON.parse(message.body));
  const submit = (name: string): string => {
    clock.set(new Date(Math.max(Date.now(), clock.now().getTime() + 1)));
    return stack.bedrock.addJob({ jobName: name, status: "Submitted" }).jobArn as string;
  };
  const move = (jobArn: string, status: "InProgress" | "Completed"): void => {
    clock.set(new Date(Math.max(Date.now(), clock.now().getTime() + 1)));
    stack.bedrock.setJobState(jobArn, { status });
  };

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    stack = await startLocalStack({ clock, seed: 5 });
    faults = new FaultController(stack, 5);
    table = new SnapshotTable(stack);
    useStack(stack);
    ({ handler } = (await import("../../../handlers/poll")) as unknown as { handler: PollHandler });
    await poll();
  });

  beforeEach(async () => {
    faults.apply(NO_FAULTS);
    await events();
  });

  afterAll(async () => {
    faults?.detach();
    table?.destroy();
    await stack?.stop();
  });

  it("delivers twice, under one eventId, a batch SNS applied but whose answer was lost, and loses nothing", async () => {
    // Prepare
    const arn = submit("answer-lost");
    await poll();
    await events();
    move(arn, "Completed");
    faults.apply({ ...NO_FAULTS, snsLostAnswerRate: 1 });
    const lostBefore = faults.injected.snsLostAnswers;

    // Act: every attempt is applied and reported lost, so the SDK retries until it gives up.
    const report = await poll();
    faults.apply(NO_FAULTS);
    const delivered = await events();
    const next = await poll();
    const afterRetry = await events();

    // Assess: the SDK sent the same batch again; both copies carry the transition's one eventId. Reported failed,
    // the transition stays uncommitted and the next poll sends it once more, under the same id.
    expect(faults.injected.snsLostAnswers - lostBefore).toBeGreaterThanOrEqual(2);
    expect(report).toMatchObject({ published: 0, publishFailed: 1, committed: 0 });
    expect(delivered.length).toBeGreaterThanOrEqual(2);
    expect(new Set(delivered.map((event) => event.eventId)).size).toBe(1);
    expect(next).toMatchObject({ published: 1, committed: 1 });
    expect(afterRetry.map((event) => event.eventId)).toEqual([delivered[0]?.eventId]);
    const row = (await table.rows()).find((item) => item.pk === `job#${arn}`);
    expect(row?.status).toBe("Completed");
  });

  it("re-sends with the same eventId what a poll killed between publish and commit had published", async () => {
    // Prepare
    const arn = submit("killed-before-commit");
    await poll();
    await events();
    move(arn, "InProgress");
    faults.apply({ ...NO_FAULTS, crash: true });

    // Act
    const killed = await poll(7_000).catch((error: unknown) => error);
    const crashed = faults.endCrash();
    const first = await events();
    const whileLeased = await poll();
    const leaseUntil = (await table.leaseUntil()) ?? 0;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, leaseUntil - Date.now() + 20)));
    const afterExpiry = await poll();
    const again = await events();

    // Assess
    expect(killed).toBeInstanceOf(Error);
    expect(crashed).toBe(true);
    expect(whileLeased.outcome).toBe("lease-busy");
    expect(afterExpiry.outcome).toBe("delivered");
    expect(first).toHaveLength(1);
    expect(again.map((event) => event.eventId)).toEqual(first.map((event) => event.eventId));
    const row = (await table.rows()).find((item) => item.pk === `job#${arn}`);
    expect(row?.status).toBe("InProgress");
  }, 30_000);

  it("leaves what a poll cannot publish before its deadline to the next poll, sending each once", async () => {
    // Prepare
    // Four batches, each slowed to 600 ms, against 1.5 s left before the 5 s delivery margin: the first goes out
    // whatever the machine's speed, the fourth never does.
    const arns = Array.from({ length: 35 }, (_, index) => submit(`deferred-${index}`));
    faults.apply({ ...NO_FAULTS, snsDelayMs: 600 });

    // Act
    const short = await poll(6_500);
    faults.apply(NO_FAULTS);
    const next = await poll();
    const delivered = await events();

    // Assess
    expect(short.published).toBeGreaterThan(0);
    expect(short.deferred).toBeGreaterThan(0);
    expect(short.published + short.deferred).toBe(35);
    expect(next.published).toBe(short.deferred);
    expect(delivered.map((event) => event.job.jobArn).sort()).toEqual([...arns].sort());
  });

  it("sends each transition once when two polls overlap under SNS and DynamoDB faults", async () => {
    // Prepare
    const arns = Array.from({ length: 12 }, (_, index) => submit(`overlapped-${index}`));
    faults.apply({ ...NO_FAULTS, snsEntryFailureRate: 0.2, snsCallFailureRate: 0, dynamodbErrorRate: 0 });

    // Act
    await Promise.all([poll(), poll()]);
    faults.apply(NO_FAULTS);
    await poll();
    const delivered = await events();

    // Assess
    expect(faults.injected.snsEntryFailures).toBeGreaterThan(0);
    expect(delivered.map((event) => event.job.jobArn).sort()).toEqual([...arns].sort());
  });
});
