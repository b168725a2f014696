import { describe, expect, it } from "vitest";
import { eventIdOf } from "../../src/domain/event";
import type { BatchJob } from "../../src/domain/job";
import { type Estate, type Scope, scopeId } from "../../src/domain/scope";
import { BedrockAccessDeniedError } from "../../src/errors";
import {
  confirmEventBatch,
  type EventBatchDependencies,
  type EventOutcome,
  type QueuedEvent,
} from "../../src/estate/confirm-events";
import { aJob, at, bedrockJobStateChange, minutes } from "../support/factories";
import { fakeDeliveryDeps, fakeScopes } from "../support/fakes";

const HOME: Scope = { accountId: "123456789012", region: "us-east-1" };
const MEMBER: Scope = { accountId: "210987654321", region: "eu-west-1" };

const arnIn = (scope: Scope, id: string, partition = "aws"): string =>
  `arn:${partition}:bedrock:${scope.region}:${scope.accountId}:model-invocation-job/${id.padStart(12, "0")}`;

/** A job of `scope` that the snapshot has as InProgress and Bedrock now says Completed. */
function completedIn(scope: Scope, id: string): { job: BatchJob; before: BatchJob } {
  const before = { ...aJob(id, { status: "InProgress", submitTime: at(-minutes(120)) }), jobArn: arnIn(scope, id) };
  return { before, job: { ...before, status: "Completed", lastModifiedTime: at(-minutes(1)) } };
}

const eventOf = (id: string, jobArn: string): QueuedEvent => ({
  id,
  body: JSON.stringify(bedrockJobStateChange({ jobArn })),
});

/** Each scope's own Bedrock and snapshot; `access` records which scopes were asked for. */
function setup(
  estate: Estate = { regions: [HOME.region, MEMBER.region], accounts: [HOME.accountId, MEMBER.accountId] },
) {
  const delivery = fakeDeliveryDeps();
  const { fakesOf, access, asked } = fakeScopes(delivery.diagnostics);
  /** Puts a changed job in its scope: seeded as InProgress, now Completed. */
  const changed = (scope: Scope, id: string): BatchJob => {
    const { before, job } = completedIn(scope, id);
    const { jobs, snapshot } = fakesOf(scope);
    snapshot.seed({ jobArn: before.jobArn, status: before.status, submitTime: before.submitTime });
    jobs.put(job);
    return job;
  };
  const deps: EventBatchDependencies = {
    ...delivery.deps,
    estate,
    partition: "aws",
    access,
  };
  const confirm = (...events: QueuedEvent[]) =>
    confirmEventBatch(deps, { pollId: "events-1", deadline: at(minutes(1)) }, events);
  return { ...delivery, deps, fakesOf, changed, asked, confirm };
}

/** Every event's outcome, once settled. */
async function settled(outcomes: Map<string, Promise<EventOutcome>>): Promise<Record<string, EventOutcome>> {
  const entries = await Promise.all([...outcomes].map(async ([id, outcome]) => [id, await outcome] as const));
  return Object.fromEntries(entries);
}

describe("confirmEventBatch", () => {
  it("confirms each scope's events under one lease of that scope's snapshot", async () => {
    // Prepare
    const { changed, fakesOf, confirm, publisher, asked } = setup();
    const a = changed(HOME, "a");
    const b = changed(HOME, "b");
    const m = changed(MEMBER, "m");

    // Act
    const batch = confirm(eventOf("1", a.jobArn), eventOf("2", m.jobArn), eventOf("3", b.jobArn));

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "announced", "2": "announced", "3": "announced" });
    expect(fakesOf(HOME).snapshot.leaseRequests).toEqual(["events-1"]);
    expect(fakesOf(MEMBER).snapshot.leaseRequests).toEqual(["events-1"]);
    expect(fakesOf(HOME).jobs.gotJobs).toEqual([a.jobArn, b.jobArn]);
    expect(fakesOf(MEMBER).jobs.gotJobs).toEqual([m.jobArn]);
    expect(fakesOf(HOME).snapshot.statusOf(a.jobArn)).toBe("Completed");
    expect(fakesOf(MEMBER).snapshot.statusOf(m.jobArn)).toBe("Completed");
    expect(fakesOf(HOME).snapshot.rows.has(m.jobArn)).toBe(false);
    expect(asked.sort()).toEqual([scopeId(HOME), scopeId(MEMBER)].sort());
    expect(publisher.sent.map((message) => message.id).sort()).toEqual(
      [a, b, m].map((job) => eventIdOf(job.jobArn, "InProgress", "Completed")).sort(),
    );
  });

  it("reports each scope's result in the scopes promise", async () => {
    // Prepare
    const { changed, confirm } = setup();
    const a = changed(HOME, "a");
    const m = changed(MEMBER, "m");

    // Act
    const scopes = await confirm(eventOf("1", a.jobArn), eventOf("2", m.jobArn)).scopes;

    // Assess
    expect(scopes).toHaveLength(2);
    expect(scopes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scope: HOME, ok: true, report: expect.objectContaining({ published: 1 }) }),
        expect.objectContaining({ scope: MEMBER, ok: true, report: expect.objectContaining({ published: 1 }) }),
      ]),
    );
  });

  it.each([
    ["a body that is not JSON", "{not json"],
    ["another source", JSON.stringify({ ...bedrockJobStateChange({ jobArn: arnIn(HOME, "a") }), source: "aws.s3" })],
    ["no job ARN", JSON.stringify(bedrockJobStateChange())],
  ])("drops %s as malformed, with a diagnostic and no Bedrock call", async (_, body) => {
    // Prepare
    const { confirm, diagnostics, asked, fakesOf } = setup();

    // Act
    const batch = confirm({ id: "1", body });

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "malformed" });
    expect(diagnostics.kinds()).toEqual(["bedrock-event-malformed"]);
    expect(asked).toEqual([]);
    expect(fakesOf(HOME).jobs.totalCalls).toBe(0);
    expect(await batch.scopes).toEqual([]);
  });

  it.each([
    ["an account outside the estate", arnIn({ accountId: "999999999999", region: "us-east-1" }, "x")],
    ["a region outside the estate", arnIn({ accountId: "123456789012", region: "ap-south-1" }, "x")],
    ["another partition", arnIn(HOME, "x", "aws-cn")],
  ])("drops an event from %s as not in the estate, with a diagnostic and no Bedrock call", async (_, jobArn) => {
    // Prepare
    const { confirm, diagnostics, asked } = setup();

    // Act
    const batch = confirm(eventOf("1", jobArn));

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "not-in-estate" });
    expect(diagnostics.warnings).toEqual([
      { kind: "bedrock-event-foreign", details: { jobArn, reason: "not a scope of this estate" } },
    ]);
    expect(asked).toEqual([]);
    expect(await batch.scopes).toEqual([]);
  });

  it("confirms the good events of a batch beside the dropped ones", async () => {
    // Prepare
    const { confirm, changed, diagnostics } = setup();
    const a = changed(HOME, "a");

    // Act
    const batch = confirm(
      { id: "1", body: "garbage" },
      eventOf("2", a.jobArn),
      eventOf("3", arnIn({ accountId: "999999999999", region: "us-east-1" }, "x")),
    );

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "malformed", "2": "announced", "3": "not-in-estate" });
    expect(diagnostics.kinds()).toEqual(["bedrock-event-malformed", "bedrock-event-foreign"]);
  });

  it("accepts any account of the organization in a watched region", async () => {
    // Prepare
    const { confirm, changed } = setup({ regions: ["eu-west-1"], accounts: null });
    const m = changed(MEMBER, "m");

    // Act
    const batch = confirm(eventOf("1", m.jobArn));

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "announced" });
  });

  it("asks for a retry of only the failing scope's events", async () => {
    // Prepare
    const { confirm, changed, fakesOf, publisher } = setup();
    const a = changed(HOME, "a");
    const b = changed(HOME, "b");
    const m = changed(MEMBER, "m");
    const denied = new BedrockAccessDeniedError("GetModelInvocationJob");
    fakesOf(HOME).jobs.failure = denied;

    // Act
    const batch = confirm(eventOf("1", a.jobArn), eventOf("2", m.jobArn), eventOf("3", b.jobArn));

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "retry", "2": "announced", "3": "retry" });
    expect(await batch.scopes).toEqual(
      expect.arrayContaining([
        { scope: HOME, ok: false, error: denied },
        expect.objectContaining({ scope: MEMBER, ok: true }),
      ]),
    );
    expect(publisher.sent.map((message) => message.id)).toEqual([eventIdOf(m.jobArn, "InProgress", "Completed")]);
    expect(fakesOf(HOME).snapshot.statusOf(a.jobArn)).toBe("InProgress");
  });

  it("asks for a retry of a scope whose access cannot be built", async () => {
    // Prepare
    const { confirm, changed, deps } = setup();
    const m = changed(MEMBER, "m");
    const access = deps.access;
    deps.access = (scope) => {
      if (scope.accountId === MEMBER.accountId) throw "no credentials";
      return access(scope);
    };

    // Act
    const batch = confirm(eventOf("1", m.jobArn));

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "retry" });
    expect(await batch.scopes).toEqual([{ scope: MEMBER, ok: false, error: new Error("no credentials") }]);
  });

  it("confirms a job once for several events of it, and answers each event", async () => {
    // Prepare
    const { confirm, changed, fakesOf, publisher } = setup();
    const a = changed(HOME, "a");

    // Act
    const batch = confirm(eventOf("1", a.jobArn), eventOf("2", a.jobArn), eventOf("3", a.jobArn));

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "announced", "2": "announced", "3": "announced" });
    expect(fakesOf(HOME).jobs.calls.getJob).toBe(1);
    expect(publisher.sent).toHaveLength(1);
  });

  it("asks for a retry of a scope's events when its lease is busy", async () => {
    // Prepare
    const { confirm, changed, fakesOf, clock } = setup();
    const a = changed(HOME, "a");
    const m = changed(MEMBER, "m");
    await fakesOf(HOME).snapshot.acquireLease("poll-7", clock.now(), at(minutes(5)));

    // Act
    const batch = confirm(eventOf("1", a.jobArn), eventOf("2", m.jobArn));

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "retry", "2": "announced" });
  });

  it("passes on unchanged and not-found outcomes", async () => {
    // Prepare
    const { confirm, fakesOf } = setup();
    const same = { ...aJob("s", { status: "InProgress", submitTime: at(-minutes(60)) }), jobArn: arnIn(HOME, "s") };
    fakesOf(HOME).jobs.put(same);
    fakesOf(HOME).snapshot.seed({ jobArn: same.jobArn, status: "InProgress", submitTime: same.submitTime });

    // Act
    const batch = confirm(eventOf("1", same.jobArn), eventOf("2", arnIn(HOME, "gone")));

    // Assess
    expect(await settled(batch.outcomes)).toEqual({ "1": "unchanged", "2": "not-found" });
    expect(fakesOf(HOME).snapshot.leaseRequests).toEqual([]);
  });
});
