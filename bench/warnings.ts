// npm run bench:warnings — the quiet-poll cost with early warnings on: 500 open jobs, 10% of which warn. The poll
// that sends the warnings is measured, then the quiet poll after it, against the floor of a quiet poll (6 Bedrock
// calls, 1 Query, 1 GetItem, 0 writes) and against the same account with warnings off, in the same run.
import { writeFileSync } from "node:fs";
import { buildPollRuntime, invocationOf } from "../handlers/writer-runtime";
import { onlyScopeOf } from "../src/config/estate-config";
import { runPoll } from "../src/poll/run-poll";
import type { SeedJob } from "../tools/bedrock-emulator/src";
import { ManualClock } from "../tools/bedrock-emulator/src";
import { lambdaContext } from "../tools/local-stack/lambda-events";
import { startLocalStack } from "../tools/local-stack/stack";
import { WARNINGS_OFF } from "../tools/local-stack/warnings-off";

const HOUR = 3_600_000;
const OPEN = 500;
const WARNING = 50;
const WRITES = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"];

export interface PollCost {
  bedrockCalls: number;
  queries: number;
  getItems: number;
  writes: number;
  published: number;
}

export interface WarningsBench {
  open: number;
  warning: number;
  warned: PollCost;
  quietWithWarnings: PollCost;
  quietWithoutWarnings: PollCost;
}

/** 450 healthy open jobs (running at a good rate, queued briefly) and 50 queued for 30 h (StuckInStatus). */
export function warningJobs(now: number, open = OPEN, warning = WARNING): SeedJob[] {
  return Array.from({ length: open }, (_, index): SeedJob => {
    if (index < warning)
      return {
        jobName: `stuck-${index}`,
        status: "Scheduled",
        submitTime: new Date(now - 30 * HOUR),
        lastModifiedTime: new Date(now - 29 * HOUR),
      };
    if (index % 2 === 0)
      return {
        jobName: `queued-${index}`,
        status: "Submitted",
        submitTime: new Date(now - 10 * 60_000),
        lastModifiedTime: new Date(now - 10 * 60_000),
      };
    return {
      jobName: `running-${index}`,
      status: "InProgress",
      submitTime: new Date(now - 3 * HOUR),
      lastModifiedTime: new Date(now - 60_000),
      totalRecordCount: 1000,
      processedRecordCount: 900,
      successRecordCount: 899,
      errorRecordCount: 1,
    };
  });
}

/**
 * One account, one table: first with warnings off (the baseline, then a quiet poll), then, as after a deploy that
 * turns them on, a poll that sends the warnings and the quiet poll after it. (One stack for both: the SDK resolves an
 * endpoint from the environment once per process.)
 */
export async function runWarningsBench(open = OPEN, warning = WARNING): Promise<WarningsBench> {
  const clock = new ManualClock(new Date(Date.now() - 60_000));
  const stack = await startLocalStack({ clock, seed: 11 });
  const saved = { ...process.env };
  try {
    Object.assign(process.env, stack.env, {
      FIRST_RUN: "baseline",
      POWERTOOLS_LOG_LEVEL: "ERROR",
      POWERTOOLS_METRICS_DISABLED: "true",
    });
    stack.bedrock.addJobs(warningJobs(clock.now().getTime(), open, warning));
    // What handlers/poll.ts builds at its cold start, built here for each setting.
    const pollerWith = (warnings: boolean) => {
      for (const [name, value] of Object.entries(WARNINGS_OFF)) {
        if (warnings) delete process.env[name];
        else process.env[name] = value;
      }
      const runtime = buildPollRuntime(process.env);
      const scope = onlyScopeOf(runtime.config);
      return () =>
        runPoll(
          { ...runtime.delivery, ...runtime.scopes.get(scope), options: runtime.config },
          invocationOf(lambdaContext()),
        );
    };
    const cost = async (poll: ReturnType<typeof pollerWith>): Promise<PollCost> => {
      clock.advance(60_000);
      stack.bedrock.resetStats();
      stack.dynamodbProxy.reset();
      const report = await poll();
      const dynamo = stack.dynamodbProxy.counts();
      await stack.drain(stack.allEventsQueueUrl);
      return {
        bedrockCalls: Object.values(stack.bedrock.stats().calls).reduce((sum, count) => sum + count, 0),
        queries: dynamo.Query ?? 0,
        getItems: dynamo.GetItem ?? 0,
        writes: WRITES.reduce((sum, name) => sum + (dynamo[name] ?? 0), 0),
        published: report.published + report.warningsPublished,
      };
    };
    const off = pollerWith(false);
    await cost(off); // the first run: a silent baseline
    const quietWithoutWarnings = await cost(off);
    const on = pollerWith(true);
    const warned = await cost(on);
    const quietWithWarnings = await cost(on);
    return { open, warning, warned, quietWithWarnings, quietWithoutWarnings };
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await stack.stop();
  }
}

export function renderWarnings(result: WarningsBench, date: string): string {
  const row = (label: string, cost: PollCost) =>
    `| ${label} | ${cost.bedrockCalls} | ${cost.queries} | ${cost.getItems} | ${cost.writes} | ${cost.published} |`;
  const quiet = result.quietWithWarnings;
  const atFloor = quiet.bedrockCalls <= 6 && quiet.queries === 1 && quiet.getItems === 1 && quiet.writes === 0;
  const same = JSON.stringify(quiet) === JSON.stringify(result.quietWithoutWarnings);
  return [
    "# Early warnings: what they cost a poll",
    "",
    `Measured by \`npm run bench:warnings\` on ${date}: the poll as \`handlers/poll.ts\` builds it, against the Bedrock emulator, dynalite and`,
    `fauxqs (counting proxies), ${result.open} open jobs of which ${result.warning} (10%) have been queued for 30 h`,
    "(StuckInStatus), the rest healthy. Counts, not times: they do not depend on the machine.",
    "",
    "| poll | Bedrock calls | DynamoDB Query | GetItem | writes | events published |",
    "|---|---|---|---|---|---|",
    row("the poll that sends the warnings", result.warned),
    row("the quiet poll after it (warnings on)", quiet),
    row("the same quiet poll, warnings off", result.quietWithoutWarnings),
    "",
    `- The quiet poll with warnings on is ${atFloor ? "**at the floor**" : "**above the floor**"} (≤ 6 Bedrock calls, 1 Query, 1 GetItem, 0 writes)`,
    `  and ${same ? "**identical**" : "**not identical**"} to the same poll with warnings off: warnings are computed from what the poll already read.`,
    `- Sending them costs one write per warning (its record on the job's row) plus the lease (2): ${result.warned.writes} writes for ${result.warning} warnings.`,
    "",
  ].join("\n");
}

if (process.argv[1]?.endsWith("warnings.ts")) {
  runWarningsBench().then(
    (result) => {
      const markdown = renderWarnings(result, new Date().toISOString().slice(0, 10));
      writeFileSync(new URL("../docs/warnings-performance.md", import.meta.url), markdown);
      process.stdout.write(`${markdown}\nwritten to docs/warnings-performance.md\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
