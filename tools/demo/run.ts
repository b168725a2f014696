import { BedrockClient, StopModelInvocationJobCommand } from "@aws-sdk/client-bedrock";
import type { JobStatusEvent } from "../../src/domain/event";
import { type RenderFormat, renderFor } from "../../src/domain/render";
import { ManualClock } from "../bedrock-emulator/src";
import { loadPollHandler } from "../local-stack/handlers";
import { lambdaContext, scheduledEvent } from "../local-stack/lambda-events";
import { LOCAL_CREDENTIALS, startLocalStack } from "../local-stack/stack";
import { burstLine, notificationLine } from "./display";
import { DEFAULT_MODEL, existingJobs, SCRIPT, SCRIPT_MINUTES, type ScriptStep } from "./scenario";

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
  polls: number;
  delivered: JobStatusEvent[];
  bedrockCalls: number;
  elapsedMs: number;
}

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
  const stack = await startLocalStack({ clock, seed: 2026 });
  const bedrock = new BedrockClient({
    region: "us-east-1",
    endpoint: stack.bedrock.endpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const delivered: JobStatusEvent[] = [];
  let polls = 0;
  try {
    Object.assign(process.env, stack.env, {
      FIRST_RUN: "baseline",
      LOOKBACK_MINUTES: "60",
      // Warnings and errors still show; the per-poll info log and EMF metrics would drown the story.
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
      POWERTOOLS_METRICS_DISABLED: "true",
    });
    const handler = await loadPollHandler();
    stack.bedrock.addJobs(existingJobs(clock.now()));
    print(
      `Bedrock emulator ${stack.bedrock.endpoint} · DynamoDB (dynalite) ${stack.dynamodbEndpoint} · SNS/SQS (fauxqs) ${stack.snsEndpoint}`,
    );
    print(
      `Polling every ${pollEvery} emulated minutes (${(pollEvery * msPerMinute) / 1000}s real); first poll records a baseline.\n`,
    );

    const jobArns = new Map<string, string>();
    const perform = async (step: ScriptStep): Promise<void> => {
      switch (step.kind) {
        case "submit": {
          const job = stack.bedrock.addJob({
            jobName: step.jobName,
            modelId: step.modelId ?? DEFAULT_MODEL,
            submitTime: clock.now(),
            plan: step.plan,
          });
          jobArns.set(step.jobName, job.jobArn as string);
          return;
        }
        case "stop":
          // Through the real API, as a user would: the job goes Stopping, then Stopped.
          await bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArns.get(step.jobName) }));
          return;
        case "expire":
          stack.bedrock.setJobState(jobArns.get(step.jobName) as string, { status: "Expired" });
          return;
        case "complete": {
          const job = stack.bedrock.listJobs().find((candidate) => candidate.jobName === step.jobName);
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

    const render = (event: JobStatusEvent): string =>
      format === "line" ? notificationLine(event) : `${renderFor(format, event)}\n`;
    const show = (events: JobStatusEvent[]): void => {
      const isBurst = (event: JobStatusEvent): boolean => event.job.jobName.startsWith("backfill-shard-");
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
        await handler(scheduledEvent(), lambdaContext());
        polls++;
        const events = (await stack.drain(stack.allEventsQueueUrl)).map(
          (message) => JSON.parse(message.body) as JobStatusEvent,
        );
        delivered.push(...events);
        show(events);
      }
      clock.advance(MINUTE);
      await sleep(msPerMinute - (Date.now() - tickStart));
    }

    const bedrockCalls = Object.values(stack.bedrock.stats().calls).reduce((sum, count) => sum + count, 0);
    const byStatus = new Map<string, number>();
    for (const event of delivered) byStatus.set(event.job.status, (byStatus.get(event.job.status) ?? 0) + 1);
    print(
      `\n${delivered.length} notifications in ${polls} polls (${bedrockCalls} Bedrock API calls), ${((Date.now() - startedAt) / 1000).toFixed(1)}s:`,
    );
    print(`  ${[...byStatus.entries()].map(([status, count]) => `${status} ${count}`).join(" · ")}`);
    return { polls, delivered, bedrockCalls, elapsedMs: Date.now() - startedAt };
  } finally {
    bedrock.destroy();
    await stack.stop();
  }
}
