import fc from "fast-check";
import { MAX_STEPS } from "./lifecycle";

/**
 * How a round's poll runs:
 * - normal: one invocation under the scenario's background faults;
 * - overlap: two invocations at once (EventBridge can deliver a scheduled event twice);
 * - timeout: a short Lambda timeout with slow peers, so transitions are deferred to the next poll;
 * - crash: the first PublishBatch goes through, then every DynamoDB write of the poll fails (the process died
 *   between publish and commit); its lease is left to expire;
 * - event: Bedrock's own state-change event for each job changed this round, handled by the event function
 *   while a poll runs (one write path: whichever sees a change first sends it, the other nothing);
 * - skip: no poll this round, so several changes pile up.
 */
export type PollKind = "normal" | "overlap" | "timeout" | "crash" | "event" | "skip";

export const POLL_KINDS: readonly PollKind[] = ["normal", "overlap", "timeout", "crash", "event", "skip"];

export interface JobSpec {
  /** One draw per lifecycle step (see `walk`). */
  draws: number[];
  /** The round at whose start the job is submitted (0: before the first poll). */
  submitRound: number;
}

export interface RoundSpec {
  /** Each pick moves job `pick % jobs` one step along its path (if submitted and not finished). */
  picks: number[];
  kind: PollKind;
  /** Apply this round's changes while the poll runs, after `changeDelayMs`, rather than before it. */
  changesDuringPoll: boolean;
  changeDelayMs: number;
}

export interface BackgroundFaults {
  /** Probability that one PublishBatch entry fails inside an HTTP 200. */
  snsEntryFailureRate: number;
  /** Probability that a whole PublishBatch call fails (500 InternalError or 429 Throttled). */
  snsCallFailureRate: number;
  /** Probability that SNS applies a PublishBatch but its answer is lost (a 500): the SDK sends it again. */
  snsLostAnswerRate: number;
  /** Probability that one DynamoDB call fails (throttled, 500, or a write whose answer is lost). */
  dynamodbErrorRate: number;
}

export interface Scenario {
  /** Seeds the fault sequences of this scenario (Bedrock's and the proxies'). */
  seed: number;
  jobs: JobSpec[];
  rounds: RoundSpec[];
  faults: BackgroundFaults;
}

export interface ScenarioBounds {
  minJobs: number;
  maxJobs: number;
  minRounds: number;
  maxRounds: number;
}

export const CLI_BOUNDS: ScenarioBounds = { minJobs: 5, maxJobs: 40, minRounds: 4, maxRounds: 10 };

/** Weights of the poll kinds: mostly plain polls under background faults, regularly something worse. */
const kindArbitrary: fc.Arbitrary<PollKind> = fc.oneof(
  { arbitrary: fc.constant<PollKind>("normal"), weight: 5 },
  { arbitrary: fc.constant<PollKind>("overlap"), weight: 2 },
  { arbitrary: fc.constant<PollKind>("timeout"), weight: 1 },
  { arbitrary: fc.constant<PollKind>("crash"), weight: 1 },
  { arbitrary: fc.constant<PollKind>("event"), weight: 1 },
  { arbitrary: fc.constant<PollKind>("skip"), weight: 1 },
);

export function scenarioArbitrary(bounds: ScenarioBounds): fc.Arbitrary<Scenario> {
  return fc
    .record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      jobs: fc.array(
        fc.record({
          draws: fc.array(fc.nat(99), { minLength: MAX_STEPS, maxLength: MAX_STEPS }),
          submitRound: fc.nat(99),
        }),
        // "max": job counts spread over the whole range, not only the small end fast-check prefers.
        { minLength: bounds.minJobs, maxLength: bounds.maxJobs, size: "max" },
      ),
      rounds: fc.array(
        fc.record({
          picks: fc.array(fc.nat(999), { maxLength: 2 * bounds.maxJobs }),
          kind: kindArbitrary,
          changesDuringPoll: fc.boolean(),
          changeDelayMs: fc.nat(40),
        }),
        { minLength: bounds.minRounds, maxLength: bounds.maxRounds },
      ),
      faults: fc.record({
        snsEntryFailureRate: fc.constantFrom(0, 0.1, 0.3),
        snsCallFailureRate: fc.constantFrom(0, 0.05, 0.15),
        snsLostAnswerRate: fc.constantFrom(0, 0.05, 0.15),
        dynamodbErrorRate: fc.constantFrom(0, 0.02, 0.05),
      }),
    })
    .map((scenario) => ({
      ...scenario,
      // Most jobs exist from the start; the others arrive in later rounds.
      jobs: scenario.jobs.map((job) => ({
        ...job,
        submitRound: job.submitRound < 60 ? 0 : job.submitRound % scenario.rounds.length,
      })),
    }));
}

/** Scenarios for one campaign, reproducible from the seed. */
export function sampleScenarios(seed: number, count: number, bounds: ScenarioBounds): Scenario[] {
  return ensureCoverage(fc.sample(scenarioArbitrary(bounds), { seed, numRuns: count }));
}

/**
 * Makes sure a campaign exercises every kind of poll and every background fault at least once, however few
 * scenarios it has. A missing kind replaces the second round of a scenario (the first poll, a first run, stays as
 * drawn); a fault no scenario has is given to the first one. Deterministic, so the seed still reproduces it.
 */
export function ensureCoverage(scenarios: Scenario[]): Scenario[] {
  const present = new Set(scenarios.flatMap((scenario) => scenario.rounds.map((round) => round.kind)));
  const missing = POLL_KINDS.filter((kind) => kind !== "skip" && !present.has(kind));
  missing.forEach((kind, index) => {
    const scenario = scenarios[index % scenarios.length];
    const round = scenario?.rounds[1 + Math.floor(index / scenarios.length)];
    if (round) round.kind = kind;
  });
  const first = scenarios[0];
  if (!first) return scenarios;
  for (const [fault, rate] of Object.entries(COVERAGE_RATES) as Array<[keyof BackgroundFaults, number]>) {
    if (scenarios.every((scenario) => scenario.faults[fault] === 0)) first.faults[fault] = rate;
  }
  return scenarios;
}

const COVERAGE_RATES: BackgroundFaults = {
  snsEntryFailureRate: 0.3,
  snsCallFailureRate: 0.15,
  snsLostAnswerRate: 0.15,
  dynamodbErrorRate: 0.05,
};
