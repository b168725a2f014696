import {
  buildDigestEvent,
  buildScopeDigest,
  type DailyDigestEvent,
  emptyScopeDigest,
  type ScopeDigest,
} from "../domain/digest";
import type { BatchJob } from "../domain/job";
import { toDigestMessage } from "../domain/message";
import { type Estate, type Scope, scopesOf } from "../domain/scope";
import { isMalformed } from "../domain/snapshot";
import { isTerminal } from "../domain/status";
import type { WarningKind } from "../domain/warnings";
import { NotifierError } from "../errors";
import { accountsOf } from "../estate/accounts";
import type { AccountDirectory, ScopeAccessFactory, SharedDelivery } from "../estate/ports";
import { mapWithConcurrency } from "../poll/concurrency";
import type { Invocation } from "../poll/invocation";
import type { PollOptions } from "../poll/plan";
import { runPoll } from "../poll/run-poll";

/** Scopes read at once: each is one lifetime-window listing, sliced and paged. */
const SCOPE_CONCURRENCY = 4;
const DAY_MS = 24 * 3_600_000;

export interface DigestDependencies extends SharedDelivery {
  estate: Estate;
  accounts?: AccountDirectory;
  access: ScopeAccessFactory;
  options: PollOptions;
  /** Names the deployment in the digest's id (one digest per deployment and day). */
  deployment: string;
}

export interface DigestReport {
  event: DailyDigestEvent;
  scopes: number;
  unavailable: string[];
}

/**
 * The daily digest. Each scope's last 24 hours come from one lifetime-window listing, and that listing is the scope's
 * deep reconciliation for the day (a poll with it forced): at most one such listing per scope per day, shared. What
 * the listing shows feeds the digest page by page; the rows of the jobs that were open or finished in the period say
 * which warnings were sent. One DailyDigest event goes to the events topic, for pipelines and every people channel.
 */
export async function runDigest(deps: DigestDependencies, invocation: Invocation): Promise<DigestReport> {
  const now = deps.clock();
  const scopes = scopesOf(await accountsOf(deps.estate, deps.accounts), deps.estate.regions);
  const sections = await mapWithConcurrency(scopes, SCOPE_CONCURRENCY, (scope) =>
    scopeDigest(deps, invocation, scope, now),
  );
  const event = buildDigestEvent(deps.deployment, sections, now);
  const message = toDigestMessage(event);
  for await (const outcomes of deps.publisher.publish([message])) {
    const refused = outcomes.find((outcome) => !outcome.ok);
    if (refused) throw new NotifierError(`SNS refused the daily digest: ${refused.error ?? "unknown error"}`);
  }
  return {
    event,
    scopes: scopes.length,
    unavailable: sections.filter((section) => section.unavailable).map((section) => section.scope),
  };
}

async function scopeDigest(
  deps: DigestDependencies,
  invocation: Invocation,
  scope: Scope,
  now: Date,
): Promise<ScopeDigest> {
  const seen = new Map<string, BatchJob>();
  try {
    const access = deps.access(scope);
    await runPoll({ ...deps, ...access }, invocation, {
      forceDeep: true,
      onWindowPage: (page) => {
        for (const job of page) seen.set(job.jobArn, job);
      },
    });
    const from = now.getTime() - DAY_MS;
    const relevant = [...seen.values()].filter(
      (job) => !isTerminal(job.status) || (job.endTime ?? job.lastModifiedTime ?? job.submitTime).getTime() >= from,
    );
    const rows = relevant.length > 0 ? await access.snapshot.getRecords(relevant.map((job) => job.jobArn)) : new Map();
    const warnedAt: Array<Partial<Record<WarningKind, Date>>> = [];
    for (const row of rows.values()) if (!isMalformed(row) && row.warnedAt) warnedAt.push(row.warnedAt);
    return buildScopeDigest(scope, seen.values(), warnedAt, now);
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    return emptyScopeDigest(scope, `${name}: the scope could not be read`);
  }
}
