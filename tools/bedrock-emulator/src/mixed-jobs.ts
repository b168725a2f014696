import type { JobPlan, JobStatus, SeedJob } from "./model";
import { mulberry32, pickOne, type Random, randomInt } from "./random";

const MODELS = [
  "anthropic.claude-3-haiku-20240307-v1:0",
  "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "us.anthropic.claude-3-5-haiku-20241022-v1:0",
  "amazon.titan-embed-text-v2:0",
  "meta.llama3-1-70b-instruct-v1:0",
  "mistral.mistral-large-2407-v1:0",
];

const WORKLOADS = [
  "nightly-summaries",
  "ticket-triage",
  "doc-embeddings",
  "review-sentiment",
  "catalog-enrich",
  "eval-run",
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Scenario {
  weight: number;
  build(random: Random, nowMs: number): Pick<SeedJob, "status" | "submitTime" | "lastModifiedTime" | "plan">;
}

const finished =
  (status: JobStatus, plan: JobPlan = {}): Scenario["build"] =>
  (random, nowMs) => ({
    status,
    submitTime: new Date(nowMs - randomInt(random, 2 * HOUR, 72 * HOUR)),
    plan,
  });

/**
 * Open jobs carry a plan anchored at lastModifiedTime, so that on a real-time clock they keep moving:
 * counts rise, Scheduled jobs start, one Scheduled job expires a few minutes after start-up.
 */
const SCENARIOS: Scenario[] = [
  { weight: 34, build: finished("Completed") },
  { weight: 8, build: finished("PartiallyCompleted") },
  { weight: 10, build: finished("Failed") },
  { weight: 5, build: finished("Stopped") },
  {
    weight: 4,
    build: (random, nowMs) => ({
      status: "Expired",
      submitTime: new Date(nowMs - randomInt(random, 25 * HOUR, 60 * HOUR)),
      plan: { outcome: "Expired" },
    }),
  },
  {
    weight: 14,
    build: (random, nowMs) => {
      const runMs = randomInt(random, 3, 25) * MINUTE;
      const startedAgo = Math.floor(runMs * random() * 0.6);
      const outcome = random() < 0.8 ? "Completed" : random() < 0.5 ? "PartiallyCompleted" : "Failed";
      return {
        status: "InProgress",
        submitTime: new Date(nowMs - startedAgo - randomInt(random, 5, 40) * MINUTE),
        lastModifiedTime: new Date(nowMs - startedAgo),
        plan: { runMs, outcome, failDuring: "InProgress", progressIntervalMs: 15_000 },
      };
    },
  },
  {
    weight: 9,
    build: (random, nowMs) => {
      const waitedMs = randomInt(random, 1, 20) * MINUTE;
      return {
        status: "Scheduled",
        submitTime: new Date(nowMs - waitedMs - 2 * MINUTE),
        lastModifiedTime: new Date(nowMs - waitedMs),
        plan: { scheduleMs: waitedMs + randomInt(random, 1, 6) * MINUTE, runMs: randomInt(random, 4, 15) * MINUTE },
      };
    },
  },
  {
    weight: 2,
    build: (random, nowMs) => ({
      // Submitted just under 24 hours ago with a 24-hour timeout: expires minutes after start-up.
      status: "Scheduled",
      submitTime: new Date(nowMs - 24 * HOUR + randomInt(random, 2, 8) * MINUTE),
      lastModifiedTime: new Date(nowMs - 23 * HOUR),
      plan: { outcome: "Expired" },
    }),
  },
  {
    weight: 6,
    build: (random, nowMs) => ({
      status: "Validating",
      submitTime: new Date(nowMs - randomInt(random, 1, 3) * MINUTE),
      lastModifiedTime: new Date(nowMs - 30_000),
      plan: random() < 0.3 ? { outcome: "Failed" } : { scheduleMs: 3 * MINUTE, runMs: 8 * MINUTE },
    }),
  },
  {
    weight: 8,
    build: (random, nowMs) => ({
      status: "Submitted",
      submitTime: new Date(nowMs - randomInt(random, 0, 40) * 1000),
      plan: { validateMs: 2 * MINUTE, scheduleMs: 4 * MINUTE, runMs: 10 * MINUTE },
    }),
  },
];

const TOTAL_WEIGHT = SCENARIOS.reduce((sum, scenario) => sum + scenario.weight, 0);

function pickScenario(random: Random): Scenario {
  let draw = random() * TOTAL_WEIGHT;
  for (const scenario of SCENARIOS) {
    draw -= scenario.weight;
    if (draw < 0) return scenario;
  }
  return SCENARIOS[0] as Scenario;
}

/** A deterministic, realistic mix of jobs in every status, for the standalone emulator and demos. */
export function mixedSeedJobs(count: number, options: { now: Date; seed: number }): SeedJob[] {
  const random = mulberry32(options.seed);
  const nowMs = options.now.getTime();
  const jobs: SeedJob[] = [];
  for (let index = 0; index < count; index++) {
    const scenario = pickScenario(random);
    const built = scenario.build(random, nowMs);
    const total = randomInt(random, 100, 50_000);
    const isScheduledToExpire = built.plan?.outcome === "Expired" && built.status === "Scheduled";
    jobs.push({
      ...built,
      jobName: `${pickOne(random, WORKLOADS)}-${String(index + 1).padStart(3, "0")}`,
      modelId: pickOne(random, MODELS),
      timeoutDurationInHours: isScheduledToExpire ? 24 : pickOne(random, [24, 48, 72, 168]),
      modelInvocationType: random() < 0.3 ? "Converse" : "InvokeModel",
      plan: { ...built.plan, totalRecords: total },
    });
  }
  return jobs;
}
