import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { JobStatusEvent } from "../../src/domain/event";
import type { ScopePollResult, SkippedMessage } from "../../src/estate/poll-scope";
import { LocalEstateRunner } from "../../tools/local-stack/estate-runner";
import { bedrockJobStateChange } from "../../tools/local-stack/lambda-events";
import { startOrganizationsPeer } from "../../tools/local-stack/organizations-peer";
import { type LocalStack, startLocalStack } from "../../tools/local-stack/stack";
import { captureOutput } from "../support/output";

const HOME = "123456789012";
const MEMBER = "210987654321";
const REGIONS = ["us-east-1", "eu-west-1"];
const SCOPES = [HOME, MEMBER].flatMap((accountId) => REGIONS.map((region) => ({ accountId, region })));
const label = (scope: { accountId: string; region: string }) => `${scope.accountId}/${scope.region}`;

/** Whose poll failed, and why, in one round. */
const failures = (results: Array<ScopePollResult | SkippedMessage>) =>
  results
    .filter((result): result is Extract<ScopePollResult, { ok: false }> => "ok" in result && !result.ok)
    .map((result) => `${label(result.scope)} ${result.reason}`)
    .sort();

describe("several accounts and regions from one deployment, on the local peers", () => {
  let stack: LocalStack;
  let estate: LocalEstateRunner;
  const saved = { ...process.env };

  const events = async (): Promise<Array<{ event: JobStatusEvent; attributes: Record<string, string> }>> =>
    (await stack.drain(stack.allEventsQueueUrl)).map((message) => ({
      event: JSON.parse(message.body) as JobStatusEvent,
      attributes: message.attributes,
    }));
  const round = async () =>
    (await captureOutput(() => estate.round())).result as Awaited<ReturnType<LocalEstateRunner["round"]>>;
  const addJobEverywhere = (name: string) =>
    SCOPES.map(
      (scope) =>
        stack.bedrock.addJob({ jobName: name, status: "InProgress", submitTime: new Date(Date.now() - 60_000) }, scope)
          .jobArn as string,
    );

  beforeAll(async () => {
    stack = await startLocalStack({ estate: { accounts: [HOME, MEMBER], regions: REGIONS } });
    Object.assign(process.env, stack.env, { POWERTOOLS_METRICS_DISABLED: "true", POWERTOOLS_LOG_LEVEL: "WARN" });
    vi.resetModules();
    estate = await LocalEstateRunner.load(stack);
    await round(); // the first run of every scope: a baseline of nothing
    await events();
  });

  beforeEach(async () => {
    stack.bedrock.clearScopeFaults();
    for (const id of [HOME, MEMBER]) stack.bedrock.allowAssumeRole(id);
    await events();
  });

  afterAll(async () => {
    process.env = { ...saved };
    await stack?.stop();
  });

  it("polls every scope in its own worker and announces each scope's jobs with its account and region", async () => {
    // Prepare
    const arns = addJobEverywhere("nightly");
    await round();
    await events();
    for (const arn of arns) stack.bedrock.setJobState(arn, { status: "Completed" });

    // Act
    const { dispatch, results, invocations } = await round();
    const delivered = await events();

    // Assess
    expect(dispatch).toEqual({ accounts: 2, scopes: 4, enqueued: 4 });
    expect(invocations).toBe(4);
    expect(failures(results)).toEqual([]);
    expect(delivered.map(({ event }) => event.job.jobArn).sort()).toEqual([...arns].sort());
    expect(delivered.map(({ attributes }) => `${attributes.accountId}/${attributes.region}`).sort()).toEqual(
      SCOPES.map(label).sort(),
    );
  });

  it("keeps one meta row per scope, the deployment's own scope under the single-scope key", async () => {
    // Act
    const scan = await stack.dynamodb.send(new ScanCommand({ TableName: stack.tableName }));
    const metaKeys = (scan.Items ?? []).map((item) => item.pk?.S ?? "").filter((key) => key.startsWith("meta#"));

    // Assess
    expect(metaKeys.sort()).toEqual(
      [
        "meta#poller",
        `meta#poller#${HOME}/eu-west-1`,
        `meta#poller#${MEMBER}/eu-west-1`,
        `meta#poller#${MEMBER}/us-east-1`,
      ].sort(),
    );
  });

  it("reads a member account with one AssumeRole for all its regions, reused across warm invocations", async () => {
    // Prepare
    const before = stack.bedrock.stats().sts.assumeRoleByAccount[MEMBER] ?? 0;

    // Act: three more rounds, each polling the member's two regions.
    for (let index = 0; index < 3; index++) await round();

    // Assess: the session from the first round is still valid: no more AssumeRole, and never one for HOME.
    expect(stack.bedrock.stats().sts.assumeRoleByAccount[MEMBER]).toBe(before);
    expect(before).toBe(1);
    expect(stack.bedrock.stats().sts.assumeRoleByAccount[HOME] ?? 0).toBe(0);
  });

  it("isolates a member whose role cannot be assumed: its scopes fail by name, the others deliver", async () => {
    // Prepare: the jobs are known; then the member's trust breaks, and a new sandbox (no cached session) starts.
    const arns = addJobEverywhere("trust-broken");
    await round();
    await events();
    for (const arn of arns) stack.bedrock.setJobState(arn, { status: "Failed", message: "Input file missing." });
    stack.bedrock.denyAssumeRole(MEMBER);
    vi.resetModules();
    const cold = await LocalEstateRunner.load(stack);

    // Act
    const denied = (await captureOutput(() => cold.round())).result;
    const duringDenial = await events();
    stack.bedrock.allowAssumeRole(MEMBER);
    const healed = (await captureOutput(() => cold.round())).result;
    const afterwards = await events();

    // Assess: nothing is lost; the member's changes go out once its role works again.
    expect(failures(denied?.results ?? [])).toEqual([
      `${MEMBER}/eu-west-1 role-not-assumable`,
      `${MEMBER}/us-east-1 role-not-assumable`,
    ]);
    expect(duringDenial.map(({ attributes }) => attributes.accountId)).toEqual([HOME, HOME]);
    expect(failures(healed?.results ?? [])).toEqual([]);
    expect(afterwards.map(({ attributes }) => attributes.accountId)).toEqual([MEMBER, MEMBER]);
  });

  it("isolates a scope Bedrock denies or throttles: only that scope fails, and it catches up", async () => {
    // Prepare
    const arns = addJobEverywhere("one-scope-down");
    await round();
    await events();
    for (const arn of arns) stack.bedrock.setJobState(arn, { status: "Completed" });
    stack.bedrock.setScopeFaults({ accountId: MEMBER, region: "eu-west-1" }, { accessDenied: true });
    stack.bedrock.setScopeFaults({ accountId: HOME, region: "eu-west-1" }, { throttleRate: 1 });

    // Act
    const faulty = await round();
    const delivered = await events();
    stack.bedrock.clearScopeFaults();
    await round();
    const caughtUp = await events();

    // Assess: the throttled scope fails after the SDK's retries; neither delays the other two.
    expect(failures(faulty.results)).toEqual([`${HOME}/eu-west-1 failed`, `${MEMBER}/eu-west-1 access-denied`]);
    expect(delivered.map(({ attributes }) => attributes.region)).toEqual(["us-east-1", "us-east-1"]);
    expect(caughtUp.map(({ attributes }) => `${attributes.accountId}/${attributes.region}`).sort()).toEqual(
      [`${HOME}/eu-west-1`, `${MEMBER}/eu-west-1`].sort(),
    );
  });

  it("drops a scope message for an account or region outside the estate, polling nothing", async () => {
    // Prepare
    const before = stack.bedrock.stats().byScope;
    for (const scope of ["999999999999/us-east-1", `${HOME}/ap-south-1`]) {
      await stack.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.scopeQueueUrl,
          MessageBody: JSON.stringify({ scope, dispatchedAt: new Date().toISOString() }),
        }),
      );
    }

    // Act: the workers alone, as if these messages had been forged or left over from an older configuration.
    const { result, text } = await captureOutput(async () => {
      const { SqsEventSource } = await import("../../tools/local-stack/event-source");
      const { loadPollScopeHandler } = await import("../../tools/local-stack/handlers");
      const outcomes: unknown[] = [];
      const source = new SqsEventSource(stack.sqs, stack.scopeQueueUrl, await loadPollScopeHandler(), {
        batchSize: 1,
        concurrency: 1,
        onResult: (value) => outcomes.push(...(value as unknown[])),
      });
      await source.drain();
      return outcomes;
    });

    // Assess
    expect(result).toEqual([{ skipped: "not-in-estate" }, { skipped: "not-in-estate" }]);
    expect(text).toContain("scope-not-in-estate");
    expect(stack.bedrock.stats().byScope).toEqual(before);
  });

  it("confirms a burst of Bedrock events from every scope in batches, each once, and drops a foreign one", async () => {
    // Prepare
    const arns = addJobEverywhere("event-burst");
    await round();
    await events();
    for (const arn of arns) stack.bedrock.setJobState(arn, { status: "Completed" });
    const foreign = "arn:aws:bedrock:us-east-1:999999999999:model-invocation-job/abcdefghijkl";
    for (const jobArn of [...arns, ...arns, foreign]) {
      await stack.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.bedrockEventQueueUrl,
          MessageBody: JSON.stringify(bedrockJobStateChange({ jobArn })),
        }),
      );
    }

    // Act
    const figures = (await captureOutput(() => estate.confirmQueuedEvents({ batchSize: 100 }))).result;
    const fromEvents = await events();
    const next = await round();
    const fromPoll = await events();

    // Assess: one invocation for the 9 events; each change once; the poll after it finds nothing to send.
    expect(figures).toMatchObject({ invocations: 1, messages: 9, retried: 0, failedInvocations: 0 });
    expect(fromEvents.map(({ event }) => event.job.jobArn).sort()).toEqual([...arns].sort());
    expect(failures(next.results)).toEqual([]);
    expect(fromPoll).toEqual([]);
  });
});

describe("a configured region where Bedrock batch inference is not offered", () => {
  it("fails that region's scope as unreachable, by name, while the others are polled", async () => {
    // Prepare
    const saved = { ...process.env };
    const stack = await startLocalStack({
      estate: { accounts: [HOME], regions: ["us-east-1", "ap-east-2"], offeredRegions: ["us-east-1"] },
    });
    try {
      Object.assign(process.env, stack.env, { POWERTOOLS_METRICS_DISABLED: "true", POWERTOOLS_LOG_LEVEL: "ERROR" });
      vi.resetModules();
      const estate = await LocalEstateRunner.load(stack);

      // Act
      const { result } = await captureOutput(() => estate.round());

      // Assess
      expect(failures(result?.results ?? [])).toEqual([`${HOME}/ap-east-2 unreachable`]);
      expect(result?.results).toHaveLength(2);
      expect(stack.bedrock.stats().unofferedRegions["ap-east-2"]).toBeGreaterThan(0);
    } finally {
      process.env = saved;
      await stack.stop();
    }
  });
});

describe("an organization's accounts, discovered at each round", () => {
  it("polls every ACTIVE account of the organization in each region, and none that is suspended or closing", async () => {
    // Prepare: Organizations answers two accounts per page; one member is suspended, one closing.
    const saved = { ...process.env };
    const organizations = await startOrganizationsPeer([
      { id: HOME, name: "management" },
      { id: MEMBER, name: "research" },
      { id: "333333333333", state: "SUSPENDED" },
      { id: "444444444444", name: "staging" },
      { id: "555555555555", state: "PENDING_CLOSURE" },
    ]);
    const stack = await startLocalStack({ estate: { accounts: [HOME], regions: ["us-east-1", "eu-west-1"] } });
    try {
      const { ACCOUNTS: _listed, ...env } = stack.env;
      process.env = {
        ...saved,
        ...env,
        ORGANIZATION: "true",
        AWS_ENDPOINT_URL_ORGANIZATIONS: organizations.endpoint,
        POWERTOOLS_METRICS_DISABLED: "true",
        POWERTOOLS_LOG_LEVEL: "ERROR",
      };
      vi.resetModules();
      const estate = await LocalEstateRunner.load(stack);
      stack.bedrock.addJob(
        { jobName: "staging-job", status: "InProgress" },
        { accountId: "444444444444", region: "eu-west-1" },
      );

      // Act
      const { result } = await captureOutput(() => estate.round());

      // Assess
      expect(organizations.calls).toBe(3);
      expect(result?.dispatch).toEqual({ accounts: 3, scopes: 6, enqueued: 6 });
      const polled = (result?.results ?? []).map((entry) => ("scope" in entry ? label(entry.scope) : "skipped"));
      expect(polled.sort()).toEqual(
        [HOME, MEMBER, "444444444444"].flatMap((id) => [`${id}/eu-west-1`, `${id}/us-east-1`]).sort(),
      );
      expect(failures(result?.results ?? [])).toEqual([]);
      expect(Object.keys(stack.bedrock.stats().sts.assumeRoleByAccount).sort()).toEqual([MEMBER, "444444444444"]);
    } finally {
      process.env = saved;
      await stack.stop();
      await organizations.stop();
    }
  });
});
