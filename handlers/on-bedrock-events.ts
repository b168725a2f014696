import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { scopeId } from "../src/domain/scope";
import { NotifierError } from "../src/errors";
import { confirmEventBatch } from "../src/estate/confirm-events";
import { recordDelivery, recordScopeFailure } from "../src/observability/metrics";
import { buildPollRuntime, invocationOf, type PollRuntime, writerHandler } from "./writer-runtime";

/** A poll or another batch holding a scope's lease is done within seconds: waiting beats a trip through the queue. */
const LEASE_WAIT = { maxMs: 20_000 };

/** Thrown for an event whose change is still to be sent: the queue delivers it again after its visibility timeout. */
class RetryLater extends NotifierError {
  override name = "RetryLater";
}

/**
 * The Bedrock-event function of one sandbox, over that sandbox's runtime. Lambda builds one per sandbox at cold
 * start (`handler` below); the local estate benchmark builds a pool of them, one per simulated sandbox.
 */
export function createBedrockEventsHandler(runtime: PollRuntime) {
  const { config, logger, metrics, scopes, delivery } = runtime;
  const processor = new BatchProcessor(EventType.SQS);

  /**
   * A batch of Bedrock's job state-change events from the event queue (the central account's and those the member
   * accounts forward). One lease per scope per batch; an event whose change could not be sent yet (lease busy,
   * publish failed) is reported as a batch item failure, and only it comes back.
   */
  async function onBedrockEvents(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const batch = confirmEventBatch(
      { ...delivery, estate: config.estate, partition: config.partition, access: scopes.get, leaseWait: LEASE_WAIT },
      invocationOf(context),
      event.Records.map((record) => ({ id: record.messageId, body: record.body })),
    );
    const response = await processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const outcome = await batch.outcomes.get(record.messageId);
        if (outcome === "retry") throw new RetryLater("change not sent yet");
        return outcome;
      },
      processor,
      // A batch whose every event is to be retried (a poll held each lease) is not a function error.
      { context, throwOnFullBatchFailure: false },
    );
    for (const result of await batch.scopes) {
      const scope = scopeId(result.scope);
      if (result.ok) {
        recordDelivery(metrics, result.report);
        const { jobs, ...counts } = result.report;
        logger.info("bedrock events confirmed", { scope, events: jobs.size, ...counts });
      } else {
        recordScopeFailure(metrics, result.scope, result.error);
        logger.error("bedrock events failed", { scope, error: result.error });
      }
    }
    return response;
  }

  return writerHandler(runtime, onBedrockEvents);
}

// Cold start: the same configuration, observability and adapters as the poll, so both feed one write path.
export const handler = createBedrockEventsHandler(buildPollRuntime(process.env));
