import { eventIdOf, type JobStatusEvent } from "../../src/domain/event";
import { isTerminal } from "../../src/domain/status";

/** What really happened to one job in the emulator. */
export interface JobTruth {
  jobArn: string;
  jobName: string;
  /** Every status the job had, in order; the last one is its final status. */
  history: readonly string[];
  /** The failure message it was given when it failed. */
  failureMessage?: string;
}

/** One message the SQS subscriber received, and the step (poll round) after which it was drained. */
export interface Delivery {
  step: number;
  event: JobStatusEvent;
}

export interface InvariantInput {
  jobs: readonly JobTruth[];
  deliveries: readonly Delivery[];
  /** Steps in which a poll died (or overran its deadline) after publishing: re-sends may follow them. */
  crashWindows: ReadonlySet<number>;
  /** Steps in which SNS applied a batch but its answer was lost: the SDK's retry delivers it twice. */
  lostAnswerWindows: ReadonlySet<number>;
  /** Every item of the snapshot table, read from DynamoDB itself. */
  rows: ReadonlyArray<Record<string, unknown>>;
  /** When the rows were read: a lease that ran out before then is free, even if its attributes remain. */
  readAt: Date;
}

export interface InvariantReport {
  violations: string[];
  /** Jobs whose final status never reached the subscriber. */
  lost: number;
  /** Copies beyond the first of the same event. */
  duplicates: number;
  /** Copies explained by a crash window (a later poll re-sent what a dead one published). */
  resentAfterCrash: number;
  /** Copies explained by a lost SNS answer (the SDK sent the same batch again). */
  resentAfterLostAnswer: number;
  /** Copies explained by neither: always a violation. */
  duplicatesOutsideCrash: number;
}

const META_KEY = "meta#poller";

/**
 * The three promises of the notifier, checked after a scenario has settled:
 * 1. none lost: each job's final status was delivered, and every delivery is a move the job really made;
 * 2. nothing sent twice, except a re-send after a crash or a lost SNS answer, which carries the same eventId;
 * 3. the snapshot converged on the truth, with no lease left held.
 */
export function checkInvariants(input: InvariantInput): InvariantReport {
  const violations: string[] = [];
  const truth = new Map(input.jobs.map((job) => [job.jobArn, job]));
  const byJob = new Map<string, Delivery[]>();
  for (const delivery of input.deliveries) {
    const arn = delivery.event.job.jobArn;
    byJob.set(arn, [...(byJob.get(arn) ?? []), delivery]);
    const job = truth.get(arn);
    if (!job) violations.push(`delivered an event for a job the scenario never had: ${arn}`);
    else violations.push(...consistency(job, delivery));
  }

  let lost = 0;
  for (const job of input.jobs) {
    const final = job.history[job.history.length - 1];
    if (!(byJob.get(job.jobArn) ?? []).some((delivery) => delivery.event.job.status === final)) {
      lost++;
      violations.push(
        `lost: ${job.jobName} ended ${final} (history ${job.history.join(" > ")}) but that was never delivered`,
      );
    }
  }

  const duplicates = countDuplicates(input, byJob, violations);
  violations.push(...snapshotConvergence(input.jobs, input.rows, input.readAt));
  return { violations, lost, ...duplicates };
}

/** A delivery must describe a move the job really made, forward in its history, under the id of that move. */
function consistency(job: JobTruth, { event, step }: Delivery): string[] {
  const problems: string[] = [];
  const to = job.history.indexOf(event.job.status);
  const from = event.previousStatus === null ? -1 : job.history.indexOf(event.previousStatus);
  const move = `${event.previousStatus ?? "new"} > ${event.job.status}`;
  if (to < 0 || (event.previousStatus !== null && from < 0) || from >= to) {
    problems.push(`${job.jobName}: delivered ${move} (step ${step}) but its history was ${job.history.join(" > ")}`);
  }
  if (event.eventId !== eventIdOf(job.jobArn, event.previousStatus, event.job.status)) {
    problems.push(`${job.jobName}: ${move} carries eventId ${event.eventId}, not the id of that transition`);
  }
  if (event.job.status === "Failed" && event.job.message !== (job.failureMessage ?? null)) {
    problems.push(`${job.jobName}: the Failed event does not carry the job's failure message`);
  }
  return problems;
}

function countDuplicates(
  input: InvariantInput,
  byJob: ReadonlyMap<string, Delivery[]>,
  violations: string[],
): Omit<InvariantReport, "violations" | "lost"> {
  let duplicates = 0;
  let resentAfterCrash = 0;
  let resentAfterLostAnswer = 0;
  let duplicatesOutsideCrash = 0;
  for (const [arn, deliveries] of byJob) {
    const name = input.jobs.find((job) => job.jobArn === arn)?.jobName ?? arn;
    // One status reached, one identity: a consumer deduplicating by eventId must see every copy as the same event.
    const idsByStatus = new Map<string, Set<string>>();
    for (const { event } of deliveries) {
      idsByStatus.set(event.job.status, (idsByStatus.get(event.job.status) ?? new Set()).add(event.eventId));
    }
    for (const [status, ids] of idsByStatus) {
      if (ids.size > 1)
        violations.push(`${name}: reaching ${status} was announced under ${ids.size} different eventIds`);
    }
    const copies = new Map<string, number[]>();
    for (const { event, step } of deliveries) copies.set(event.eventId, [...(copies.get(event.eventId) ?? []), step]);
    for (const steps of copies.values()) {
      if (steps.length < 2) continue;
      duplicates += steps.length - 1;
      // Every copy but the last must have gone out in a poll that died before it could commit, or in a round where
      // SNS applied a batch whose answer was lost (the SDK then sent it again).
      const earlier = steps.sort((a, b) => a - b).slice(0, -1);
      const byCrash = earlier.filter((step) => input.crashWindows.has(step));
      const byLostAnswer = earlier.filter((step) => !input.crashWindows.has(step) && input.lostAnswerWindows.has(step));
      const unexplained = earlier.length - byCrash.length - byLostAnswer.length;
      resentAfterCrash += byCrash.length;
      resentAfterLostAnswer += byLostAnswer.length;
      if (unexplained > 0) {
        duplicatesOutsideCrash += unexplained;
        violations.push(`${name}: sent twice outside a crash window or a lost SNS answer (steps ${steps.join(", ")})`);
      }
    }
  }
  return { duplicates, resentAfterCrash, resentAfterLostAnswer, duplicatesOutsideCrash };
}

function snapshotConvergence(
  jobs: readonly JobTruth[],
  rows: ReadonlyArray<Record<string, unknown>>,
  readAt: Date,
): string[] {
  const problems: string[] = [];
  const byKey = new Map(rows.map((row) => [String(row.pk), row]));
  for (const job of jobs) {
    const final = job.history[job.history.length - 1] as string;
    const row = byKey.get(`job#${job.jobArn}`);
    if (!row) {
      problems.push(`snapshot: no row for ${job.jobName} (final ${final})`);
      continue;
    }
    if (row.status !== final) problems.push(`snapshot: ${job.jobName} is ${String(row.status)}, Bedrock says ${final}`);
    // Open jobs stay in the open-jobs index (found by the next poll); finished ones leave it.
    if (isTerminal(final) === (row.openShard !== undefined)) {
      problems.push(`snapshot: ${job.jobName} (${final}) has openShard=${String(row.openShard)}`);
    }
  }
  const meta = byKey.get(META_KEY);
  if (!meta?.watermark) problems.push("snapshot: the first run never completed (no watermark)");
  if (typeof meta?.leaseUntil === "number" && meta.leaseUntil >= readAt.getTime()) {
    problems.push(`snapshot: a lease is still held by ${String(meta.leaseOwner)}`);
  }
  return problems;
}
