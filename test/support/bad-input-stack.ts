import type { JobStatusEvent } from "../../src/domain/event";
import type { PollReport } from "../../src/poll/run-poll";
import { type JobStatePatch, ManualClock, type SeedJob } from "../../tools/bedrock-emulator/src";
import type { PollHandler } from "../../tools/local-stack/handlers";
import { lambdaContext, scheduledEvent } from "../../tools/local-stack/lambda-events";
import { type CountingProxy, type ProxyDecision, startCountingProxy } from "../../tools/local-stack/proxy";
import { type LocalStack, startLocalStack } from "../../tools/local-stack/stack";

export type Summary = Record<string, unknown>;

/**
 * The local stack with one more proxy, in front of the Bedrock emulator, so a test can make Bedrock answer what
 * the emulator (faithful to the service) never would: a member missing, a status from the future, a page token
 * it then rejects, a 403.
 */
export interface BadInputStack {
  stack: LocalStack;
  /** Bedrock's clock; a little behind the poller's, as real time would be by the next poll. */
  clock: ManualClock;
  bedrockProxy: CountingProxy;
  /** Submits a job now (Submitted unless told otherwise) and returns its ARN. */
  addJob(name: string, seed?: Partial<SeedJob>): string;
  /** Moves a job, one second after the previous change on Bedrock's clock. */
  setState(jobArn: string, patch: JobStatePatch): void;
  /** Everything delivered to the all-events queue since the last call. */
  events(): Promise<JobStatusEvent[]>;
  /** Rewrites every job summary Bedrock sends (List pages and Get); undefined removes the job (Get: 404). */
  rewriteSummaries(rewrite: ((summary: Summary) => Summary | undefined) | undefined): void;
  stop(): Promise<void>;
}

export async function startBadInputStack(env: Record<string, string> = {}): Promise<BadInputStack> {
  const clock = new ManualClock(new Date(Date.now() - 5 * 60_000));
  const stack = await startLocalStack({ clock, seed: 11 });
  const bedrockProxy = await startCountingProxy(stack.bedrock.endpoint);
  Object.assign(process.env, stack.env, {
    AWS_ENDPOINT_URL_BEDROCK: bedrockProxy.endpoint,
    FIRST_RUN: "baseline",
    LOOKBACK_MINUTES: "60",
    POWERTOOLS_LOG_LEVEL: "WARN",
    POWERTOOLS_METRICS_DISABLED: "true",
    ...env,
  });
  const tick = () => clock.advance(1_000);
  return {
    stack,
    clock,
    bedrockProxy,
    addJob: (name, seed = {}) => {
      tick();
      return stack.bedrock.addJob({ jobName: name, status: "Submitted", ...seed }).jobArn as string;
    },
    setState: (jobArn, patch) => {
      tick();
      stack.bedrock.setJobState(jobArn, patch);
    },
    events: async () =>
      (await stack.drain(stack.allEventsQueueUrl)).map((message) => JSON.parse(message.body) as JobStatusEvent),
    rewriteSummaries: (rewrite) => bedrockProxy.setHook(rewrite ? (request) => rewriting(request, rewrite) : undefined),
    stop: async () => {
      await bedrockProxy.stop();
      await stack.stop();
    },
  };
}

function rewriting(
  request: { method: string; path: string },
  rewrite: (summary: Summary) => Summary | undefined,
): ProxyDecision {
  if (request.method !== "GET") return { kind: "forward" };
  const isList = request.path.startsWith("/model-invocation-jobs");
  return {
    kind: "forward",
    respond: (response) => {
      if (response.status !== 200) return response;
      const body = JSON.parse(response.body.toString("utf8")) as Summary;
      if (isList) {
        const summaries = (body.invocationJobSummaries as Summary[]).flatMap((summary) => rewrite(summary) ?? []);
        return { ...response, body: Buffer.from(JSON.stringify({ ...body, invocationJobSummaries: summaries })) };
      }
      const job = rewrite(body);
      if (job) return { ...response, body: Buffer.from(JSON.stringify(job)) };
      return {
        status: 404,
        headers: { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" },
        body: Buffer.from(JSON.stringify({ message: "The specified model invocation job was not found." })),
      };
    },
  };
}

/** Rewrites only the summaries of one job. */
export const forJob =
  (jobArn: string, rewrite: (summary: Summary) => Summary | undefined) =>
  (summary: Summary): Summary | undefined =>
    summary.jobArn === jobArn ? rewrite(summary) : summary;

/** Invokes the poll handler as the schedule would. */
export const pollWith = (handler: PollHandler, timeoutMs = 60_000): Promise<PollReport> =>
  handler(scheduledEvent(), lambdaContext(timeoutMs));
