import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type ScopeMessage, scopeMessageBody } from "../domain/scope-message";
import type { ScopeQueue } from "../estate/ports";
import { mapWithConcurrency } from "../poll/concurrency";

/** SendMessageBatch takes at most 10 entries. */
const BATCH = 10;
const ATTEMPTS = 3;
/** Requests in flight: 1,000 scopes are 100 requests, sent 8 at a time. */
const CONCURRENCY = 8;

/** The scope queue on SQS: 10 messages per request, each failed entry retried twice. */
export class SqsScopeQueue implements ScopeQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: readonly ScopeMessage[]): Promise<ScopeMessage[]> {
    const batches: ScopeMessage[][] = [];
    for (let start = 0; start < messages.length; start += BATCH) batches.push(messages.slice(start, start + BATCH));
    const failed = await mapWithConcurrency(batches, CONCURRENCY, (batch) => this.#send(batch));
    return failed.flat();
  }

  async #send(batch: ScopeMessage[]): Promise<ScopeMessage[]> {
    let pending = batch;
    for (let attempt = 0; attempt < ATTEMPTS && pending.length > 0; attempt++) {
      let refused: Set<number>;
      try {
        const output = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: pending.map((message, index) => ({ Id: String(index), MessageBody: scopeMessageBody(message) })),
          }),
        );
        refused = new Set((output.Failed ?? []).map((entry) => Number(entry.Id)));
      } catch {
        // The whole request failed (after the SDK's own retries): every entry is still to send.
        refused = new Set(pending.map((_, index) => index));
      }
      pending = pending.filter((_, index) => refused.has(index));
    }
    return pending;
  }
}
