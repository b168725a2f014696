import { sum } from "./numbers";
import type { CaseResult, PollCounters, PollerKind } from "./types";

// Derived figures: totals per service, the floor, and the per-day projection. Pure functions of the results.

const DYNAMODB_READS = ["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"];
const DYNAMODB_WRITES = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"];
/** One listing of new submissions, plus one listing per open status (Submitted, Validating, Scheduled, InProgress, Stopping). */
export const LISTINGS_PER_POLL = 6;
/** At the default schedule, rate(5 minutes). */
export const POLLS_PER_DAY = 288;
/** Transitions per day assumed in the per-day projection. */
export const TRANSITIONS_PER_DAY = 1_000;
const SNS_BATCH = 10;

export interface Totals {
  bedrockCalls: number;
  bedrockGets: number;
  bedrockBytes: number;
  dynamodbReads: number;
  dynamodbWrites: number;
  readUnits: number;
  writeUnits: number;
  snsCalls: number;
  snsMessages: number;
  /** Every API request of the poll: Bedrock + DynamoDB + SNS. */
  requests: number;
}

const pick = (counts: Record<string, number>, names: readonly string[]): number =>
  sum(names.map((name) => counts[name] ?? 0));

export function totals(counters: PollCounters): Totals {
  const dynamodbReads = pick(counters.dynamodb.requests, DYNAMODB_READS);
  const dynamodbWrites = pick(counters.dynamodb.requests, DYNAMODB_WRITES);
  const bedrockCalls = sum(Object.values(counters.bedrock.calls));
  const snsCalls = pick(counters.sns.requests, ["Publish", "PublishBatch"]);
  return {
    bedrockCalls,
    bedrockGets: counters.bedrock.calls.GetModelInvocationJob ?? 0,
    bedrockBytes: sum(Object.values(counters.bedrock.bytes)),
    dynamodbReads,
    dynamodbWrites,
    readUnits: counters.dynamodb.readUnits,
    writeUnits: counters.dynamodb.writeUnits,
    snsCalls,
    snsMessages: counters.sns.messages,
    requests: bedrockCalls + dynamodbReads + dynamodbWrites + snsCalls,
  };
}

/**
 * The least any correct poller of our design must do for this poll. Writes: one per transition. SNS: ⌈T/10⌉
 * PublishBatch calls. Bedrock: what listing by status cannot avoid: one listing of new submissions, one per open
 * status, and one Get per job that left every open list, each × its pages (here one page: no list exceeds 1,000).
 */
export function floorOf(result: CaseResult): { writes: number; snsCalls: number; bedrockCalls: number } {
  return {
    writes: result.changed,
    snsCalls: Math.ceil(result.changed / SNS_BATCH),
    bedrockCalls: LISTINGS_PER_POLL + result.finishedByChange,
  };
}

/**
 * On AWS, a write to a row in the open-jobs index also writes the index: one more write unit per commit of ours
 * (each transition of an open job enters, updates or leaves the sparse index). dynalite reports table units only,
 * so this is added by hand; the baselines' rows carry no index key and cost nothing extra.
 */
export function indexWriteUnits(result: CaseResult): number {
  return result.spec.poller === "ours" ? result.measured.published : 0;
}

/** What AWS bills per poll, in requests: DynamoDB read and write units (index included) and SNS requests. */
export function billedPerPoll(result: CaseResult): number {
  const figures = totals(result.measured.counters);
  return figures.readUnits + figures.writeUnits + indexWriteUnits(result) + figures.snsCalls;
}

export interface PerDay {
  poller: PollerKind;
  finished: number;
  open: number;
  /** Billed requests per day: POLLS_PER_DAY × quiet + TRANSITIONS_PER_DAY × per transition + one Lambda invocation per poll. */
  billed: number;
  /** Every API call per day, Bedrock's (not billed) included, by the same formula. */
  requests: number;
  quietBilled: number;
  billedPerTransition: number;
}

/**
 * Per-day projection from two measured polls of the same data: the quiet one (0 % changed) and the 10 % one,
 * whose extra cost divided by its transitions is the cost of one transition.
 */
export function perDay(quiet: CaseResult, busy: CaseResult): PerDay {
  const quietBilled = billedPerPoll(quiet);
  const billedPerTransition = busy.changed > 0 ? (billedPerPoll(busy) - quietBilled) / busy.changed : 0;
  const quietRequests = totals(quiet.measured.counters).requests;
  const requestsPerTransition =
    busy.changed > 0 ? (totals(busy.measured.counters).requests - quietRequests) / busy.changed : 0;
  return {
    poller: quiet.spec.poller,
    finished: quiet.spec.finished,
    open: quiet.spec.open,
    billed: POLLS_PER_DAY * (quietBilled + 1) + TRANSITIONS_PER_DAY * billedPerTransition,
    requests: POLLS_PER_DAY * quietRequests + TRANSITIONS_PER_DAY * requestsPerTransition,
    quietBilled,
    billedPerTransition,
  };
}

/** Finds the result of one case of the matrix. */
export function findCase(
  results: readonly CaseResult[],
  poller: PollerKind,
  finished: number,
  open: number,
  changedPercent: number,
): CaseResult | undefined {
  return results.find(
    (result) =>
      result.spec.poller === poller &&
      result.spec.finished === finished &&
      result.spec.open === open &&
      result.spec.changedPercent === changedPercent,
  );
}

/**
 * The transitions per day up to which `baseline` bills at least `factor` times more than `ours` (Infinity when it
 * always does, 0 when it never does): the per-day ratio depends on how busy the account is, so say where it tips.
 */
export function transitionsPerDayAtAdvantage(ours: PerDay, baseline: PerDay, factor: number): number {
  const slack = POLLS_PER_DAY * (baseline.quietBilled + 1 - factor * (ours.quietBilled + 1));
  const perTransition = factor * ours.billedPerTransition - baseline.billedPerTransition;
  if (perTransition <= 0) return slack >= 0 ? Number.POSITIVE_INFINITY : 0;
  return Math.max(0, slack / perTransition);
}
