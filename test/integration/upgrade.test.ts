import { readFileSync } from "node:fs";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JobStatusEvent } from "../../src/domain/event";
import type { JobStatus } from "../../tools/bedrock-emulator/src";
import { LocalEstateRunner } from "../../tools/local-stack/estate-runner";
import { loadPollHandler } from "../../tools/local-stack/handlers";
import { lambdaContext, scheduledEvent } from "../../tools/local-stack/lambda-events";
import { type LocalEstate, type LocalStack, startLocalStack } from "../../tools/local-stack/stack";
import { captureOutput } from "../support/output";

const HOME = "123456789012";
const MEMBER = "210987654321";
const H = 3_600_000;

interface FixtureJob {
  jobId: string;
  jobName: string;
  status: JobStatus;
  message?: string;
  submitTime: string;
  lastModifiedTime: string;
  endTime?: string;
}

interface Fixture {
  generatedAt: string;
  jobs: FixtureJob[];
  items: Array<Record<string, { S?: string; N?: string }>>;
}

/**
 * The table and the jobs exactly as the last single-scope version left them (test/fixtures/v2-single-scope-table.json,
 * produced by that version's own code: see test/fixtures/README.md), with every time moved to now.
 */
async function restoreSingleScopeTable(stack: LocalStack): Promise<void> {
  const fixture = JSON.parse(
    readFileSync(new URL("../fixtures/v2-single-scope-table.json", import.meta.url), "utf8"),
  ) as Fixture;
  const shift = Date.now() - Date.parse(fixture.generatedAt);
  const moved = (iso: string) => new Date(Date.parse(iso) + shift);
  for (const item of fixture.items) {
    const rebased = Object.fromEntries(
      Object.entries(item).map(([name, value]) => {
        if (value.S && /^\d{4}-\d{2}-\d{2}T/.test(value.S)) return [name, { S: moved(value.S).toISOString() }];
        if ((name === "expiresAt" || name === "leaseUntil") && value.N)
          return [name, { N: String(Number(value.N) + Math.round(shift / (name === "expiresAt" ? 1000 : 1))) }];
        return [name, value];
      }),
    );
    await stack.dynamodb.send(new PutItemCommand({ TableName: stack.tableName, Item: rebased as never }));
  }
  for (const { endTime, ...job } of fixture.jobs) {
    stack.bedrock.addJob({
      ...job,
      submitTime: moved(job.submitTime),
      lastModifiedTime: moved(job.lastModifiedTime),
      ...(endTime ? { endTime: moved(endTime) } : {}),
    });
  }
}

const arnOf = (jobId: string, accountId = HOME, region = "us-east-1") =>
  `arn:aws:bedrock:${region}:${accountId}:model-invocation-job/${jobId}`;

describe("upgrading a single-scope deployment in place", () => {
  const saved = { ...process.env };
  let stack: LocalStack | undefined;

  const start = async (estate?: LocalEstate) => {
    stack = await startLocalStack(estate ? { estate } : {});
    await restoreSingleScopeTable(stack);
    Object.assign(process.env, stack.env, {
      FIRST_RUN: "baseline",
      LOOKBACK_MINUTES: "60",
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: "ERROR",
    });
    vi.resetModules();
    return stack;
  };
  const announced = async (local: LocalStack) =>
    (await local.drain(local.allEventsQueueUrl))
      .map((message) => JSON.parse(message.body) as JobStatusEvent)
      .map(
        (event) =>
          `${event.job.accountId}/${event.job.region} ${event.job.jobName} ${event.previousStatus} → ${event.job.status}`,
      );

  afterEach(async () => {
    process.env = { ...saved };
    await stack?.stop();
    stack = undefined;
  });

  it("keeps one scope's snapshot as it is: nothing announced again, the next change once", async () => {
    // Prepare
    const local = await start();
    const poll = await loadPollHandler();

    // Act
    const upgrade = await captureOutput(() => poll(scheduledEvent(), lambdaContext()));
    local.bedrock.setJobState(arnOf("running00001"), { status: "Completed" });
    const next = await captureOutput(() => poll(scheduledEvent(), lambdaContext()));

    // Assess: the first poll of the new version is an ordinary one (no first run), quiet.
    expect(upgrade.result).toMatchObject({ firstRun: false, transitions: 0, published: 0 });
    expect(next.result).toMatchObject({ firstRun: false, published: 1 });
    expect(await announced(local)).toEqual([`${HOME}/us-east-1 long-running InProgress → Completed`]);
  });

  it("grows into several accounts and regions: the old scope goes on, the new ones start with a baseline", async () => {
    // Prepare: jobs that exist in the new scopes before the notifier watches them.
    const local = await start({ accounts: [HOME, MEMBER], regions: ["us-east-1", "eu-west-1"] });
    const member = { accountId: MEMBER, region: "eu-west-1" };
    const running = local.bedrock.addJob(
      {
        jobId: "memberrun001",
        jobName: "member-running",
        status: "InProgress",
        submitTime: new Date(Date.now() - 5 * H),
      },
      member,
    );
    local.bedrock.addJob(
      {
        jobId: "memberold001",
        jobName: "member-history",
        status: "Completed",
        submitTime: new Date(Date.now() - 30 * H),
      },
      member,
    );
    const estate = await LocalEstateRunner.load(local);

    // Act
    const upgrade = (await captureOutput(() => estate.round())).result;
    const afterUpgrade = await announced(local);
    local.bedrock.setJobState(arnOf("running00001"), { status: "Completed" });
    local.bedrock.setJobState(running.jobArn as string, { status: "Failed", message: "Output bucket is gone." });
    await captureOutput(() => estate.round());
    const afterChanges = await announced(local);

    // Assess
    const reports = (upgrade?.results ?? []).map((result) =>
      "ok" in result && result.ok
        ? `${result.scope.accountId}/${result.scope.region} ${result.report.outcome}`
        : JSON.stringify(result),
    );
    expect(reports.sort()).toEqual(
      [
        `${HOME}/us-east-1 quiet`,
        `${HOME}/eu-west-1 baseline`,
        `${MEMBER}/us-east-1 baseline`,
        `${MEMBER}/eu-west-1 baseline`,
      ].sort(),
    );
    expect(afterUpgrade).toEqual([]);
    expect(afterChanges.sort()).toEqual(
      [
        `${HOME}/us-east-1 long-running InProgress → Completed`,
        `${MEMBER}/eu-west-1 member-running InProgress → Failed`,
      ].sort(),
    );
  });
});
