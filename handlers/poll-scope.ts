import type { Context, SQSEvent } from "aws-lambda";
import { scopeId } from "../src/domain/scope";
import { pollScopeMessage, type ScopePollResult, type SkippedMessage } from "../src/estate/poll-scope";
import { recordPoll, recordScopeFailure } from "../src/observability/metrics";
import { measureInvocation } from "../src/observability/middleware";
import { buildPollRuntime, invocationOf, type PollRuntime, writerHandler } from "./writer-runtime";

/**
 * The worker of one sandbox, over that sandbox's runtime (its clients and its AssumeRole cache). Lambda builds one
 * per sandbox at cold start (`handler` below); the local estate benchmark builds a pool of them, one per simulated
 * sandbox.
 */
export function createPollScopeHandler(runtime: PollRuntime) {
  const { config, logger, metrics, scopes, delivery } = runtime;

  /**
   * One or more scope messages (the event source's batch size is 1: each scope gets its own invocation and
   * deadline). A scope's failure is reported (its metric names it, its alarm fires) and not retried: the next round
   * polls it again, and a retry now would only delay the messages behind it.
   */
  async function pollScopes(event: SQSEvent, context: Context): Promise<Array<ScopePollResult | SkippedMessage>> {
    const invocation = invocationOf(context);
    const deps = { ...delivery, estate: config.estate, access: scopes.get, options: config };
    const results = await Promise.all(event.Records.map((record) => pollScopeMessage(deps, invocation, record.body)));
    for (const result of results) {
      if ("skipped" in result) continue;
      const scope = scopeId(result.scope);
      if (result.ok) {
        recordPoll(metrics, result.report);
        logger.info("scope polled", { scope, ...result.report, late: result.report.late.length });
      } else {
        recordScopeFailure(metrics, result.scope, result.error);
        logger.error("scope poll failed", { scope, reason: result.reason, error: result.error });
      }
    }
    return results;
  }

  return writerHandler(runtime, pollScopes).use(measureInvocation(metrics, () => scopes.bedrockCalls));
}

// Cold start: the same runtime as the single-scope poll; the AssumeRole cache and each scope's clients live on
// across warm invocations.
export const handler = createPollScopeHandler(buildPollRuntime(process.env));
