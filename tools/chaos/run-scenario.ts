import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import type { JobStatusEvent } from "../../src/domain/event";
import { type DeliveryCounts, NO_DELIVERY } from "../../src/poll/deliver";
import { type JobStatus, ManualClock, mulberry32, type Random } from "../bedrock-emulator/src";
import { bedrockEventsBatch, lambdaContext, scheduledEvent } from "../local-stack/lambda-events";
import { type LocalStack, startLocalStack } from "../local-stack/stack";
import { FaultController, NO_FAULTS, type PollFaults } from "./faults";
import { type CampaignFigures, emptyFigures } from "./figures";
import { type HandlerLoader, type Handlers, useStack } from "./handler";
import { checkInvariants, type Delivery, type JobTruth } from "./invariants";
import { failureMessageOf, walk } from "./lifecycle";
import type { RoundSpec, Scenario } from "./scenario";
import { SnapshotTable } from "./snapshot-table";

/** A plain poll's Lambda timeout: far more than a poll needs, short enough that a stuck lease frees up in a test. */
const NORMAL_TIMEOUT_MS = 20_000;
/** Long enough to publish the first batch (deliver stops 5 s before the deadline), short enough to wait out. */
const CRASH_TIMEOUT_MS = 7_000;
/** Timeout polls get 5 s (the delivery margin) plus 0.3–1.5 s: some publish a batch or two, some none. */
const TIMEOUT_BASE_MS = 5_000;
const BEDROCK_FAULTS = { throttleRate: 0.3, serverErrorRate: 0.05 };
/** Fault-free polls allowed to reach a quiet poll once the faults stop. */
const SETTLE_POLLS = 12;

export interface ScenarioOutcome {
  figures: CampaignFigures;
  violations: string[];
}

interface LiveJob {
  name: string;
  path: JobStatus[];
  submitRound: number;
  arn?: string;
  /** Statuses reached so far (empty until submitted). */
  history: JobStatus[];
}

interface Invocation {
  /** The poll's outcome ("quiet", "lease-busy", ...) or the event function's. */
  outcome?: string;
  error?: string;
  /** Whether any PublishBatch reached SNS while this invocation ran. */
  published: boolean;
  overran: boolean;
}

/** Runs one scenario against a fresh local stack and fresh handlers, then checks the invariants. */
export async function runScenario(
  scenario: Scenario,
  label: string,
  loadHandler: HandlerLoader,
): Promise<ScenarioOutcome> {
  const clock = new ManualClock(new Date());
  const stack = await startLocalStack({ clock, seed: scenario.seed });
  const table = new SnapshotTable(stack);
  const faults = new FaultController(stack, scenario.seed);
  try {
    useStack(stack);
    const handlers = await loadHandler();
    return await new ScenarioRun(scenario, label, stack, clock, handlers, faults, table).run();
  } finally {
    faults.detach();
    table.destroy();
    await stack.stop();
  }
}

class ScenarioRun {
  readonly #figures = emptyFigures();
  readonly #deliveries: Delivery[] = [];
  readonly #crashWindows = new Set<number>();
  readonly #lostAnswerWindows = new Set<number>();
  readonly #violations: string[] = [];
  readonly #jobs: LiveJob[];
  readonly #random: Random;

  constructor(
    private readonly scenario: Scenario,
    private readonly label: string,
    private readonly stack: LocalStack,
    private readonly clock: ManualClock,
    private readonly handlers: Handlers,
    private readonly faults: FaultController,
    private readonly table: SnapshotTable,
  ) {
    this.#random = mulberry32(scenario.seed ^ 0x5bd1e995);
    const tag = label.replace(/[^a-zA-Z0-9]/g, "");
    this.#jobs = scenario.jobs.map((job, index) => ({
      name: `chaos-${tag}-j${index}`,
      path: walk(job.draws),
      submitRound: job.submitRound,
      history: [],
    }));
  }

  async run(): Promise<ScenarioOutcome> {
    for (const [index, round] of this.scenario.rounds.entries()) await this.#round(index, round);
    const { throttled, serverErrors } = this.stack.bedrock.stats().faults;
    this.#figures.bedrockThrottled = throttled;
    this.#figures.bedrockServerErrors = serverErrors;
    await this.#settle(this.scenario.rounds.length);
    Object.assign(this.#figures, this.faults.injected);

    const readAt = new Date();
    const report = checkInvariants({
      jobs: this.#truth(),
      deliveries: this.#deliveries,
      crashWindows: this.#crashWindows,
      lostAnswerWindows: this.#lostAnswerWindows,
      rows: await this.table.rows(),
      readAt,
    });
    this.#violations.push(...report.violations);
    Object.assign(this.#figures, {
      scenarios: 1,
      jobs: this.#jobs.filter((job) => job.arn).length,
      transitions: this.#jobs.reduce((sum, job) => sum + job.history.length, 0),
      delivered: this.#deliveries.length,
      lost: report.lost,
      duplicates: report.duplicates,
      resentAfterCrash: report.resentAfterCrash,
      resentAfterLostAnswer: report.resentAfterLostAnswer,
      duplicatesOutsideCrash: report.duplicatesOutsideCrash,
      violations: this.#violations.length,
    });
    return { figures: this.#figures, violations: this.#violations.map((violation) => `${this.label}: ${violation}`) };
  }

  async #round(step: number, round: RoundSpec): Promise<void> {
    const lostAnswersBefore = this.faults.injected.snsLostAnswers;
    const changes = (): string[] => this.#applyChanges(step, round);
    const during = async <T>(poll: () => Promise<T>): Promise<T> => {
      if (!round.changesDuringPoll) {
        changes();
        return poll();
      }
      const [result] = await Promise.all([poll(), sleep(round.changeDelayMs).then(changes)]);
      return result;
    };
    const background: PollFaults = this.scenario.faults;
    let invocations: Invocation[] = [];
    switch (round.kind) {
      case "skip":
        changes();
        break;
      case "normal":
        this.#bedrockFaults(step, 0);
        this.faults.apply(background);
        invocations = [await during(() => this.#poll(NORMAL_TIMEOUT_MS))];
        break;
      case "event": {
        // Bedrock sends its event once the change happened; the event function races the scheduled poll.
        this.#bedrockFaults(step, 0);
        this.faults.apply(background);
        const changed = changes();
        this.#figures.bedrockEvents += changed.length;
        invocations = await Promise.all([
          this.#poll(NORMAL_TIMEOUT_MS),
          ...changed.map((jobArn) =>
            sleep(Math.floor(this.#random() * 50)).then(() => this.#bedrockEvent(jobArn, NORMAL_TIMEOUT_MS)),
          ),
        ]);
        break;
      }
      case "overlap":
        this.#figures.overlaps++;
        this.#bedrockFaults(step, 0);
        this.faults.apply(background);
        invocations = await during(() =>
          Promise.all([
            this.#poll(NORMAL_TIMEOUT_MS),
            sleep(Math.floor(this.#random() * 50)).then(() => this.#poll(NORMAL_TIMEOUT_MS)),
          ]),
        );
        break;
      case "timeout":
        this.#figures.timeouts++;
        this.#bedrockFaults(step, 100);
        this.faults.apply({ ...background, snsDelayMs: 250 });
        invocations = [await during(() => this.#poll(TIMEOUT_BASE_MS + 300 + Math.floor(this.#random() * 1_200)))];
        break;
      case "crash":
        // Bedrock answers promptly here, so the poll reaches its first publish before the delivery margin.
        this.stack.bedrock.setFaults({});
        this.faults.apply({ ...NO_FAULTS, crash: true });
        invocations = [await during(() => this.#poll(CRASH_TIMEOUT_MS))];
        if (this.faults.endCrash()) this.#crashWindows.add(step);
        break;
    }
    this.faults.apply(NO_FAULTS);
    this.stack.bedrock.setFaults({});
    // A poll that failed after SNS took a batch, or ran past the moment Lambda would have killed it, may leave
    // a published transition uncommitted: its re-send by a later poll is the one duplicate allowed.
    if (invocations.some((call) => (call.error !== undefined && call.published) || call.overran)) {
      this.#crashWindows.add(step);
    }
    if (this.faults.injected.snsLostAnswers > lostAnswersBefore) this.#lostAnswerWindows.add(step);
    await this.#drain(step);
  }

  /** Submits this round's new jobs, then moves each picked job one step along its path; returns the jobs moved. */
  #applyChanges(step: number, round: RoundSpec): string[] {
    const changed = new Set<string>();
    for (const job of this.#jobs) {
      if (job.submitRound !== step || job.arn) continue;
      this.#tick();
      job.arn = this.stack.bedrock.addJob({ jobName: job.name, status: "Submitted" }).jobArn as string;
      job.history.push("Submitted");
      changed.add(job.arn);
    }
    for (const pick of round.picks) {
      const job = this.#jobs[pick % this.#jobs.length];
      if (!job?.arn || job.history.length >= job.path.length) continue;
      const next = job.path[job.history.length] as JobStatus;
      this.#tick();
      this.stack.bedrock.setJobState(job.arn, {
        status: next,
        ...(next === "Failed" ? { message: failureMessageOf(job.name) } : {}),
      });
      job.history.push(next);
      changed.add(job.arn);
    }
    return [...changed];
  }

  /** Bedrock's clock follows real time and never stands still between two changes of a job. */
  #tick(): void {
    this.clock.set(new Date(Math.max(Date.now(), this.clock.now().getTime() + 1)));
  }

  #bedrockFaults(step: number, latencyMs: number): void {
    this.stack.bedrock.setFaults({ ...BEDROCK_FAULTS, latencyMs, seed: this.scenario.seed + step * 7_919 });
  }

  #poll(timeoutMs: number): Promise<Invocation> {
    this.#figures.polls++;
    return this.#invoke(timeoutMs, (context) => this.handlers.poll(scheduledEvent(), context));
  }

  #bedrockEvent(jobArn: string, timeoutMs: number): Promise<Invocation> {
    return this.#invoke(timeoutMs, async (context) => {
      // One event in its own batch; a batch item failure (lease busy, publish failed) is left to the next poll here.
      const response = await this.handlers.onBedrockEvents(bedrockEventsBatch(stateChangeEvent(jobArn)), context);
      return { ...NO_DELIVERY, outcome: response.batchItemFailures.length > 0 ? "retry" : "handled" };
    });
  }

  async #invoke(
    timeoutMs: number,
    run: (context: Context) => Promise<(DeliveryCounts & { outcome: string }) | undefined>,
  ): Promise<Invocation> {
    const forwardedBefore = this.faults.forwardedBatches;
    const deadline = Date.now() + timeoutMs;
    try {
      const report = await run(lambdaContext(timeoutMs));
      this.#figures.deferred += report?.deferred ?? 0;
      return {
        ...(report ? { outcome: report.outcome } : {}),
        published: this.faults.forwardedBatches > forwardedBefore,
        overran: Date.now() > deadline,
      };
    } catch (error) {
      this.#figures.failedPolls++;
      const name = (error as { name?: string })?.name ?? "Error";
      // middy answers TimeoutError at the deadline, as Lambda would kill the invocation there.
      return {
        error: name,
        published: this.faults.forwardedBatches > forwardedBefore,
        overran: name === "TimeoutError" || Date.now() > deadline,
      };
    }
  }

  async #drain(step: number): Promise<number> {
    const messages = await this.stack.drain(this.stack.allEventsQueueUrl);
    for (const message of messages) {
      try {
        this.#deliveries.push({ step, event: JSON.parse(message.body) as JobStatusEvent });
      } catch {
        this.#violations.push(`step ${step}: a delivered message is not JSON`);
      }
    }
    return messages.length;
  }

  /** Fault-free polls until one finds nothing to do; a lease left by a crashed poll is waited out. */
  async #settle(firstStep: number): Promise<void> {
    for (let attempt = 0; attempt < SETTLE_POLLS; attempt++) {
      const step = firstStep + attempt;
      const invocation = await this.#poll(NORMAL_TIMEOUT_MS);
      const delivered = await this.#drain(step);
      if (invocation.error)
        this.#violations.push(`settling poll ${attempt} failed without faults: ${invocation.error}`);
      if (invocation.outcome === "lease-busy") {
        const until = await this.table.leaseUntil();
        if (until !== undefined) await sleep(Math.min(NORMAL_TIMEOUT_MS, Math.max(0, until - Date.now()) + 20));
        continue;
      }
      if (invocation.outcome === "quiet" && delivered === 0) return;
    }
    this.#violations.push(`no quiet poll after ${SETTLE_POLLS} fault-free polls`);
  }

  #truth(): JobTruth[] {
    return this.#jobs.flatMap((job) => {
      if (!job.arn) return [];
      const truth: JobTruth = { jobArn: job.arn, jobName: job.name, history: job.history };
      if (job.history.includes("Failed")) truth.failureMessage = failureMessageOf(job.name);
      return [truth];
    });
  }
}

/** Bedrock's "Batch Inference Job State Change" event, as EventBridge hands it to the event function. */
function stateChangeEvent(jobArn: string) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Batch Inference Job State Change",
    source: "aws.bedrock",
    account: "123456789012",
    time: new Date().toUTCString(),
    region: "us-east-1",
    resources: [jobArn],
    detail: { version: "0.0", accountId: "123456789012", batchJobArn: jobArn, failureMessage: "" },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
