import { type Estate, inEstate, type Scope, scopeId } from "../domain/scope";
import { parseScopeMessage } from "../domain/scope-message";
import { BedrockAccessDeniedError, MemberRoleError } from "../errors";
import type { Invocation } from "../poll/invocation";
import type { PollOptions } from "../poll/plan";
import { type PollReport, runPoll } from "../poll/run-poll";
import type { ScopeAccessFactory, SharedDelivery } from "./ports";

export interface ScopePollDependencies extends SharedDelivery {
  estate: Estate;
  access: ScopeAccessFactory;
  options: PollOptions;
}

/** Why a scope's poll failed, as its alarm and logs name it. */
export type ScopeFailureReason = "access-denied" | "role-not-assumable" | "unreachable" | "failed";

export type ScopePollResult =
  | { scope: Scope; ok: true; report: PollReport }
  | { scope: Scope; ok: false; reason: ScopeFailureReason; error: Error };

/** A message the worker did not poll for: malformed, for a scope this deployment does not watch, or outlived. */
export interface SkippedMessage {
  skipped: "malformed" | "not-in-estate" | "stale";
}

/**
 * Polls one scope, the way the single-scope poll does, and keeps its failure to itself: a scope whose role cannot be
 * assumed, whose Bedrock denies or cannot be reached, or that fails otherwise, yields a result naming the scope and
 * the reason instead of an error, so no other scope of the round is held up or retried with it. The next round polls
 * it again; its alarm names it meanwhile.
 */
export async function pollScope(
  deps: ScopePollDependencies,
  invocation: Invocation,
  scope: Scope,
): Promise<ScopePollResult> {
  try {
    const report = await runPoll({ ...deps, ...deps.access(scope) }, invocation);
    return { scope, ok: true, report };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { scope, ok: false, reason: failureReason(failure), error: failure };
  }
}

/**
 * One message of the scope queue: checked (a scope outside the estate is never polled: its credentials would be
 * refused, and its alarm would blame the wrong thing), dropped when it outlived its round (the next round's message
 * is already queued), then polled.
 */
export async function pollScopeMessage(
  deps: ScopePollDependencies,
  invocation: Invocation,
  body: string,
): Promise<ScopePollResult | SkippedMessage> {
  const parsed = parseScopeMessage(body);
  if (!parsed.ok) {
    deps.diagnostics.warn("scope-message-malformed", { reason: parsed.reason });
    return { skipped: "malformed" };
  }
  const { scope, dispatchedAt } = parsed.message;
  if (!inEstate(deps.estate, scope)) {
    deps.diagnostics.warn("scope-not-in-estate", { scope: scopeId(scope) });
    return { skipped: "not-in-estate" };
  }
  const age = deps.clock().getTime() - dispatchedAt.getTime();
  if (age > deps.options.intervalMinutes * 60_000) {
    deps.diagnostics.warn("scope-message-stale", { scope: scopeId(scope), ageSeconds: Math.round(age / 1000) });
    return { skipped: "stale" };
  }
  return pollScope(deps, invocation, scope);
}

const NETWORK_ERRORS = new Set(["TimeoutError", "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EPIPE", "EHOSTUNREACH"]);

function failureReason(error: Error): ScopeFailureReason {
  if (error instanceof MemberRoleError) return "role-not-assumable";
  if (error instanceof BedrockAccessDeniedError) return "access-denied";
  const code = (error as { code?: string }).code;
  if (NETWORK_ERRORS.has(error.name) || (code && NETWORK_ERRORS.has(code))) return "unreachable";
  return "failed";
}
