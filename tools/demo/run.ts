import { BedrockClient, StopModelInvocationJobCommand } from "@aws-sdk/client-bedrock";
import type { DailyDigestEvent } from "../../src/domain/digest";
import type { JobStatusEvent } from "../../src/domain/event";
import type { JobEvent } from "../../src/domain/notifier-event";
import { type RenderFormat, renderFor } from "../../src/domain/render";
import type { JobWarningEvent } from "../../src/domain/warning-event";
import { ManualClock } from "../bedrock-emulator/src";
import { LocalEstateRunner } from "../local-stack/estate-runner";
import { loadDigestHandler } from "../local-stack/handlers";
import { lambdaContext, scheduledEvent } from "../local-stack/lambda-events";
import { LOCAL_CREDENTIALS, startLocalStack } from "../local-stack/stack";
import { burstLine, digestOutput, notificationLine, warningLine } from "./display";
import {
  DEFAULT_MODEL,
  DEMO_ACCOUNTS,
  DEMO_ALIASES,
  DEMO_REGIONS,
  DEMO_SCOPES,
  type DemoScope,
  existingJobs,
  SCOPE_OF_JOB,
  SCRIPT,
  SCRIPT_MINUTES,
  type ScriptStep,
} from "./scenario";

const MINUTE = 60_000;

export interface DemoOptions {
  /** How each notification is shown: a one-line summary, or the full body of a channel. */
  format?: "line" | RenderFormat;
  /** Real milliseconds per emulated minute. */
  msPerMinute?: number;
  /** The poll schedule, in emulated minutes. */
  pollEveryMinutes?: number;
  /** Keep running (new random jobs keep arriving) until interrupted. */
  forever?: boolean;
  /** Where lines go. */
  print?: (line: string) => void;
  /** Stops a forever run. */
  signal?: AbortSignal;
}

export interface DemoResult {
  /** Rounds of the schedule; each polls every scope. */
  rounds: number;
  /** Scope polls: rounds × scopes. */
  polls: number;
  delivered: JobStatusEvent[];
  /** Early warnings, apart from the transitions. */
  warnings: JobWarningEvent[];
  /** The daily digest sent at the end of the story. */
  digest?: DailyDigestEvent;
  bedrockCalls: number;
  /** STS AssumeRole calls for the member account. */
  assumeRoleCalls: number;
  elapsedMs: number;
}

const scopeOf = (jobName: string): DemoScope => DEMO_SCOPES[SCOPE_OF_JOB[jobName] ?? 0] as DemoScope;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The notifier end to end on embedded parts: the Bedrock emulator, dynalite and fauxqs on 127.0.0.1, the table and
 * topic as serverless.yml defines them, and the real poll handler on a fast schedule while a scripted story plays
 * on an accelerated clock. Notifications are read back from an SQS queue subscribed to the topic, as a pipeline would.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const msPerMinute = options.msPerMinute ?? 400;
  const pollEvery = options.pollEveryMinutes ?? 2;
  const format = options.format ?? "line";
  const startedAt = Date.now();
  // Bedrock's emulated clock starts half an hour back so the story's 26 emulated minutes stay in the past of the
  // poller's real clock, as in production (a job is never submitted after the poll that reports it).
  const clock = new ManualClock(new Date(Date.now() - 30 * MINUTE));
  const stack = await startLocalStack({
    clock,
    seed: 2026,
    estate: { accounts: Object.values(DEMO_ACCOUNTS), regions: DEMO_REGIONS },
  });
  // A user's own client in each scope: the member account's jobs are reached with that account's keys.
  const clients = DEMO_SCOPES.map(
    (scope) =>
      new BedrockClient({
        region: scope.region,
        endpoint: stack.bedrock.endpoint,
        credentials:
          scope.accountId === DEMO_ACCOUNTS.prod ? LOCAL_CREDENTIALS : stack.bedrock.credentialsFor(scope.accountId),
      }),
  );
  const delivered: JobStatusEvent[] = [];
  const warnings: JobWarningEvent[] = [];
  let rounds = 0;
  try {
    Object.assign(process.env, stack.env, {
      FIRST_RUN: "baseline",
      LOOKBACK_MINUTES: "60",
      ACCOUNT_ALIASES: [...DEMO_ALIASES].map(([id, alias]) => `${id}:${alias}`).join(","),
      // Warnings and errors still show; the per-poll info log and EMF metrics would drown the story.
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
      POWERTOOLS_METRICS_DISABLED: "true",
    });
    const estate = await LocalEstateRunner.load(stack);
    for (const scope of DEMO_SCOPES) stack.bedrock.addJobs(existingJobs(clock.now(), scope === DEMO_SCOPES[0]), scope);
    print(
      `Bedrock emulator + STS ${stack.bedrock.endpoint} · DynamoDB (dynalite) ${stack.dynamodbEndpoint} · SNS/SQS (fauxqs) ${stack.snsEndpoint}`,
    );
    print(
      `Watching ${DEMO_SCOPES.length} scopes (${[...DEMO_ALIASES.values()].join(", ")} × ${DEMO_REGIONS.join(", ")}): each round, dispatch queues one message per scope and pollScope workers poll them.`,
    );
    print(
      `A round every ${pollEvery} emulated minutes (${(pollEvery * msPerMinute) / 1000}s real); the first round records a baseline in every scope.\n`,
    );

    const jobArns = new Map<string, string>();
    const perform = async (step: ScriptStep): Promise<void> => {
      switch (step.kind) {
        case "submit": {
          const job = stack.bedrock.addJob(
            {
              jobName: step.jobName,
              modelId: step.modelId ?? DEFAULT_MODEL,
              submitTime: clock.now(),
              plan: step.plan,
            },
            scopeOf(step.jobName),
          );
          jobArns.set(step.jobName, job.jobArn as string);
          return;
        }
        case "stop":
          // Through the real API, as a user would: the job goes Stopping, then Stopped.
          await clients[SCOPE_OF_JOB[step.jobName] ?? 0]?.send(
            new StopModelInvocationJobCommand({ jobIdentifier: jobArns.get(step.jobName) }),
          );
          return;
        case "expire":
          stack.bedrock.setJobState(jobArns.get(step.jobName) as string, { status: "Expired" });
          return;
        case "complete": {
          const job = stack.bedrock
            .listJobs(scopeOf(step.jobName))
            .find((candidate) => candidate.jobName === step.jobName);
          if (job?.jobArn)
            stack.bedrock.setJobState(job.jobArn, {
              status: "Completed",
              total: 400,
              processed: 400,
              success: 400,
              error: 0,
            });
          return;
        }
        case "burst":
          stack.bedrock.addJobs(
            Array.from({ length: step.count }, (_, index) => ({
              jobName: `backfill-shard-${String(index).padStart(4, "0")}`,
              submitTime: new Date(clock.now().getTime() - 30_000 + index),
              status: "Completed" as const,
            })),
          );
          return;
      }
    };

    const render = (event: JobEvent): string =>
      format === "line"
        ? notificationLine(event, DEMO_ALIASES)
        : `${renderFor(format, event, { accountAliases: DEMO_ALIASES })}\n`;
    const show = (events: JobEvent[]): void => {
      const isBurst = (event: JobEvent): boolean => event.job.jobName.startsWith("backfill-shard-");
      for (const event of events.filter((candidate) => !isBurst(candidate))) print(render(event));
      const [first, ...rest] = events.filter(isBurst);
      if (first) print(render(first));
      if (rest.length > 0) print(burstLine(rest.length, first?.job.status ?? "?"));
    };

    for (let minute = 0; options.forever || minute <= SCRIPT_MINUTES; minute++) {
      if (options.signal?.aborted) break;
      const tickStart = Date.now();
      for (const step of SCRIPT.filter((candidate) => candidate.at === minute)) await perform(step);
      if (options.forever && minute > SCRIPT_MINUTES && minute % 3 === 0) {
        await perform({
          at: minute,
          kind: "submit",
          jobName: `ad-hoc-${minute}`,
          plan: {
            validateMs: 2 * MINUTE,
            scheduleMs: 2 * MINUTE,
            runMs: 5 * MINUTE,
            outcome: minute % 4 === 0 ? "Failed" : "Completed",
            failDuring: "InProgress",
          },
        });
      }
      if (minute % pollEvery === 0) {
        const round = await estate.round();
        rounds++;
        for (const result of round.results) {
          if ("ok" in result && !result.ok)
            print(`          ✖ ${result.scope.accountId}/${result.scope.region} not polled: ${result.reason}`);
        }
        const messages = await stack.drain(stack.allEventsQueueUrl);
        const events = messages
          .filter((message) => message.attributes.eventType !== "JobWarning")
          .map((message) => JSON.parse(message.body) as JobStatusEvent);
        const warned = messages
          .filter((message) => message.attributes.eventType === "JobWarning")
          .map((message) => JSON.parse(message.body) as JobWarningEvent);
        delivered.push(...events);
        warnings.push(...warned);
        show(events);
        for (const warning of warned)
          print(
            format === "line"
              ? warningLine(warning, DEMO_ALIASES)
              : `${renderFor(format, warning, { accountAliases: DEMO_ALIASES })}\n`,
          );
      }
      clock.advance(MINUTE);
      await sleep(msPerMinute - (Date.now() - tickStart));
    }

    // The day ends: the daily digest of the four scopes (its listing is each scope's deep reconciliation).
    await (await loadDigestHandler())(scheduledEvent(), lambdaContext(900_000, "local-digest"));
    const digestMessage = (await stack.drain(stack.allEventsQueueUrl)).find(
      (message) => message.attributes.eventType === "DailyDigest",
    );
    const digest = digestMessage ? (JSON.parse(digestMessage.body) as DailyDigestEvent) : undefined;
    if (digest) for (const line of digestOutput(digest, format, DEMO_ALIASES)) print(line);

    const stats = stack.bedrock.stats();
    const bedrockCalls = Object.values(stats.calls).reduce((sum, count) => sum + count, 0);
    const assumeRoleCalls = stats.sts.assumeRole;
    const polls = rounds * DEMO_SCOPES.length;
    const byStatus = new Map<string, number>();
    for (const event of delivered) byStatus.set(event.job.status, (byStatus.get(event.job.status) ?? 0) + 1);
    print(
      `\n${delivered.length} notifications and ${warnings.length} early warnings in ${rounds} rounds of ${DEMO_SCOPES.length} scopes (${polls} scope polls, ${bedrockCalls} Bedrock API calls, ${assumeRoleCalls} AssumeRole), ${((Date.now() - startedAt) / 1000).toFixed(1)}s:`,
    );
    print(`  ${[...byStatus.entries()].map(([status, count]) => `${status} ${count}`).join(" · ")}`);
    return {
      rounds,
      polls,
      delivered,
      warnings,
      ...(digest ? { digest } : {}),
      bedrockCalls,
      assumeRoleCalls,
      elapsedMs: Date.now() - startedAt,
    };
  } finally {
    for (const client of clients) client.destroy();
    await stack.stop();
  }
}
