import { describe, expect, it } from "vitest";
import { eventIdOf } from "../../src/domain/event";
import type { BatchJob } from "../../src/domain/job";
import { type Estate, type Scope, scopeId } from "../../src/domain/scope";
import { scopeMessageBody } from "../../src/domain/scope-message";
import { BedrockAccessDeniedError, ListingError, MemberRoleError } from "../../src/errors";
import { pollScope, pollScopeMessage, type ScopePollDependencies } from "../../src/estate/poll-scope";
import { aJob, at, minutes, pollOptions, T0 } from "../support/factories";
import { fakeDeliveryDeps, fakeScopes } from "../support/fakes";

const HOME: Scope = { accountId: "123456789012", region: "us-east-1" };
const MEMBER: Scope = { accountId: "210987654321", region: "eu-west-1" };

/** A job of `scope`: the factories' job with the ARN moved to that account and region. */
function jobIn(scope: Scope, id: string, overrides: Partial<BatchJob> = {}): BatchJob {
  const job = aJob(id, overrides);
  return {
    ...job,
    jobArn: `arn:aws:bedrock:${scope.region}:${scope.accountId}:model-invocation-job/${id.padStart(12, "0")}`,
  };
}

/** Each scope's own Bedrock and snapshot, past their first run, with the scopes asked for recorded. */
function setup(
  estate: Estate = { regions: [HOME.region, MEMBER.region], accounts: [HOME.accountId, MEMBER.accountId] },
) {
  const delivery = fakeDeliveryDeps();
  const { fakesOf, access, asked } = fakeScopes(delivery.diagnostics, { deepReconciledAt: at(-minutes(60)) });
  const deps: ScopePollDependencies = {
    ...delivery.deps,
    estate,
    options: pollOptions(),
    access,
  };
  let count = 0;
  const invocation = () => ({ pollId: `worker-${++count}`, deadline: at(minutes(1), delivery.clock.now()) });
  return { ...delivery, deps, fakesOf, asked, invocation };
}

const bodyFor = (scope: Scope, dispatchedAt: Date = T0): string => scopeMessageBody({ scope, dispatchedAt });

describe("pollScope", () => {
  it("polls the scope with its own access and returns ok with the poll's report", async () => {
    // Prepare
    const { deps, fakesOf, asked, publisher, invocation } = setup();
    const job = jobIn(MEMBER, "a", { submitTime: at(-minutes(2)) });
    fakesOf(MEMBER).jobs.put(job);

    // Act
    const result = await pollScope(deps, invocation(), MEMBER);

    // Assess
    expect(result).toMatchObject({ scope: MEMBER, ok: true, report: { outcome: "delivered", transitions: 1 } });
    expect(asked).toEqual([scopeId(MEMBER)]);
    expect(publisher.sent.map((message) => message.id)).toEqual([eventIdOf(job.jobArn, null, "Submitted")]);
    expect(fakesOf(MEMBER).snapshot.statusOf(job.jobArn)).toBe("Submitted");
  });

  it("keeps two scopes' snapshots apart", async () => {
    // Prepare
    const { deps, fakesOf, invocation } = setup();
    const home = jobIn(HOME, "h", { submitTime: at(-minutes(2)) });
    const member = jobIn(MEMBER, "m", { submitTime: at(-minutes(2)), status: "InProgress" });
    fakesOf(HOME).jobs.put(home);
    fakesOf(MEMBER).jobs.put(member);

    // Act
    const results = await Promise.all([pollScope(deps, invocation(), HOME), pollScope(deps, invocation(), MEMBER)]);

    // Assess
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    expect([...fakesOf(HOME).snapshot.rows.keys()]).toEqual([home.jobArn]);
    expect([...fakesOf(MEMBER).snapshot.rows.keys()]).toEqual([member.jobArn]);
    expect(fakesOf(HOME).snapshot.leaseRequests).toEqual(["worker-1"]);
    expect(fakesOf(MEMBER).snapshot.leaseRequests).toEqual(["worker-2"]);
  });

  it("does not touch another scope's Bedrock or snapshot", async () => {
    // Prepare
    const { deps, fakesOf, invocation } = setup();
    fakesOf(HOME).jobs.put(jobIn(HOME, "h", { submitTime: at(-minutes(2)) }));
    const other = fakesOf(MEMBER);

    // Act
    await pollScope(deps, invocation(), HOME);

    // Assess
    expect(other.jobs.totalCalls).toBe(0);
    expect(other.snapshot.writes).toEqual([]);
    expect(other.snapshot.leaseRequests).toEqual([]);
  });

  it.each<[string, () => Error, string]>([
    [
      "a member role that cannot be assumed",
      () => new MemberRoleError("arn:aws:iam::210987654321:role/reader", "STS answered AccessDenied"),
      "role-not-assumable",
    ],
    ["Bedrock denying access", () => new BedrockAccessDeniedError("ListModelInvocationJobs"), "access-denied"],
    ["a timeout", () => Object.assign(new Error("socket timed out"), { name: "TimeoutError" }), "unreachable"],
    [
      "a refused connection",
      () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED" }),
      "unreachable",
    ],
    ["any other error", () => new ListingError("page token rejected twice"), "failed"],
    ["a plain error", () => new Error("boom"), "failed"],
  ])("classifies %s and returns it instead of throwing", async (_, makeError, reason) => {
    // Prepare
    const { deps, fakesOf, invocation } = setup();
    const error = makeError();
    fakesOf(MEMBER).jobs.failure = error;

    // Act
    const result = await pollScope(deps, invocation(), MEMBER);

    // Assess
    expect(result).toEqual({ scope: MEMBER, ok: false, reason, error });
  });

  it("wraps a thrown non-Error in an Error", async () => {
    // Prepare
    const { deps, invocation } = setup();
    deps.access = () => {
      throw "no access";
    };

    // Act
    const result = await pollScope(deps, invocation(), MEMBER);

    // Assess
    expect(result).toEqual({ scope: MEMBER, ok: false, reason: "failed", error: new Error("no access") });
  });

  it("keeps a failing scope's failure from the next scope's poll", async () => {
    // Prepare
    const { deps, fakesOf, invocation, publisher } = setup();
    fakesOf(HOME).jobs.failure = new BedrockAccessDeniedError("ListModelInvocationJobs");
    fakesOf(MEMBER).jobs.put(jobIn(MEMBER, "m", { submitTime: at(-minutes(2)) }));

    // Act
    const [home, member] = await Promise.all([
      pollScope(deps, invocation(), HOME),
      pollScope(deps, invocation(), MEMBER),
    ]);

    // Assess
    expect(home).toMatchObject({ ok: false, reason: "access-denied" });
    expect(member).toMatchObject({ ok: true, report: { transitions: 1 } });
    expect(publisher.sent).toHaveLength(1);
  });
});

describe("pollScopeMessage", () => {
  it("polls the message's scope", async () => {
    // Prepare
    const { deps, fakesOf, asked, invocation, diagnostics } = setup();
    const job = jobIn(MEMBER, "a", { submitTime: at(-minutes(2)) });
    fakesOf(MEMBER).jobs.put(job);

    // Act
    const result = await pollScopeMessage(deps, invocation(), bodyFor(MEMBER, at(-minutes(1))));

    // Assess
    expect(result).toMatchObject({ scope: MEMBER, ok: true, report: { transitions: 1 } });
    expect(asked).toEqual([scopeId(MEMBER)]);
    expect(fakesOf(MEMBER).snapshot.statusOf(job.jobArn)).toBe("Submitted");
    expect(diagnostics.warnings).toEqual([]);
  });

  it("skips a malformed message with a diagnostic and polls nothing", async () => {
    // Prepare
    const { deps, asked, invocation, diagnostics } = setup();

    // Act
    const result = await pollScopeMessage(deps, invocation(), '{"scope":"nope"}');

    // Assess
    expect(result).toEqual({ skipped: "malformed" });
    expect(diagnostics.warnings).toEqual([
      { kind: "scope-message-malformed", details: { reason: "scope is not <12-digit account>/<region>" } },
    ]);
    expect(asked).toEqual([]);
  });

  it.each<[string, Scope]>([
    ["an account", { accountId: "999999999999", region: "us-east-1" }],
    ["a region", { accountId: "123456789012", region: "ap-south-1" }],
  ])("skips a scope whose %s is not in the estate, with a diagnostic", async (_, scope) => {
    // Prepare
    const { deps, asked, invocation, diagnostics } = setup();

    // Act
    const result = await pollScopeMessage(deps, invocation(), bodyFor(scope));

    // Assess
    expect(result).toEqual({ skipped: "not-in-estate" });
    expect(diagnostics.warnings).toEqual([{ kind: "scope-not-in-estate", details: { scope: scopeId(scope) } }]);
    expect(asked).toEqual([]);
  });

  it("polls any account of the organization in a watched region", async () => {
    // Prepare
    const { deps, asked, invocation } = setup({ regions: ["us-east-1"], accounts: null });
    const scope = { accountId: "999999999999", region: "us-east-1" };

    // Act
    const result = await pollScopeMessage(deps, invocation(), bodyFor(scope));

    // Assess
    expect(result).toMatchObject({ scope, ok: true });
    expect(asked).toEqual(["999999999999/us-east-1"]);
  });

  it("skips a message older than the interval, with its age, and polls nothing", async () => {
    // Prepare
    const { deps, asked, invocation, diagnostics } = setup();
    deps.options = pollOptions({ intervalMinutes: 5 });

    // Act
    const result = await pollScopeMessage(deps, invocation(), bodyFor(MEMBER, at(-minutes(5) - 1000)));

    // Assess
    expect(result).toEqual({ skipped: "stale" });
    expect(diagnostics.warnings).toEqual([
      { kind: "scope-message-stale", details: { scope: scopeId(MEMBER), ageSeconds: 301 } },
    ]);
    expect(asked).toEqual([]);
  });

  it("polls a message exactly one interval old", async () => {
    // Prepare
    const { deps, asked, invocation, diagnostics } = setup();
    deps.options = pollOptions({ intervalMinutes: 5 });

    // Act
    const result = await pollScopeMessage(deps, invocation(), bodyFor(MEMBER, at(-minutes(5))));

    // Assess
    expect(result).toMatchObject({ ok: true });
    expect(asked).toEqual([scopeId(MEMBER)]);
    expect(diagnostics.kinds()).toEqual([]);
  });

  it("measures staleness against the configured interval", async () => {
    // Prepare
    const { deps, invocation } = setup();
    deps.options = pollOptions({ intervalMinutes: 15 });

    // Act
    const fresh = await pollScopeMessage(deps, invocation(), bodyFor(MEMBER, at(-minutes(14))));
    const stale = await pollScopeMessage(deps, invocation(), bodyFor(MEMBER, at(-minutes(16))));

    // Assess
    expect(fresh).toMatchObject({ ok: true });
    expect(stale).toEqual({ skipped: "stale" });
  });

  it("returns a scope's failure instead of throwing", async () => {
    // Prepare
    const { deps, fakesOf, invocation } = setup();
    fakesOf(MEMBER).jobs.failure = new MemberRoleError("arn:aws:iam::210987654321:role/reader", "STS answered X");

    // Act
    const result = await pollScopeMessage(deps, invocation(), bodyFor(MEMBER));

    // Assess
    expect(result).toMatchObject({ scope: MEMBER, ok: false, reason: "role-not-assumable" });
  });
});
