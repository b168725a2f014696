import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from "@aws-sdk/client-sns";
import { messageBytes, type OutboundMessage, SNS_MAX_MESSAGE_BYTES } from "../domain/message";
import { ResourceMissingError } from "../errors";
import type { Publisher, PublishOutcome } from "../poll/ports";

/** PublishBatch limits: 10 entries, and 256 KB for the whole request's messages together. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = SNS_MAX_MESSAGE_BYTES;

/** Errors that mean the topic itself is wrong, not this attempt: retrying next poll will not help. */
const TOPIC_MISSING = new Set(["NotFoundException", "NotFound", "InvalidParameterException"]);

/** Publishes to one SNS topic with PublishBatch, checking every entry: a batch can fail partially inside HTTP 200. */
export class SnsPublisher implements Publisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  /** One PublishBatch request at a time, each only when the caller asks for the next outcomes. */
  async *publish(messages: readonly OutboundMessage[]): AsyncGenerator<PublishOutcome[]> {
    for (const batch of batches(messages)) yield await this.#publishBatch(batch);
  }

  async #publishBatch(batch: readonly OutboundMessage[]): Promise<PublishOutcome[]> {
    const entries: PublishBatchRequestEntry[] = batch.map((message) => ({
      Id: message.id,
      Message: message.body,
      Subject: message.subject,
      MessageAttributes: Object.fromEntries(
        Object.entries(message.attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
      ),
    }));
    try {
      const response = await this.client.send(
        new PublishBatchCommand({ TopicArn: this.topicArn, PublishBatchRequestEntries: entries }),
      );
      const accepted = new Set((response.Successful ?? []).map((entry) => entry.Id));
      const failed = new Map((response.Failed ?? []).map((entry) => [entry.Id, entry]));
      return batch.map((message) => {
        if (accepted.has(message.id)) return { id: message.id, ok: true };
        const failure = failed.get(message.id);
        // An entry in neither list was not confirmed: treat it as failed so the next poll sends it again.
        const error = failure ? `${failure.Code ?? "Failed"}: ${failure.Message ?? ""}`.trim() : "not confirmed by SNS";
        return { id: message.id, ok: false, error };
      });
    } catch (error) {
      const name = (error as { name?: string })?.name ?? "Error";
      if (TOPIC_MISSING.has(name) && /topic/i.test(String((error as Error).message))) {
        throw new ResourceMissingError("topic", this.topicArn, { cause: error });
      }
      if (name === "AuthorizationErrorException" || name === "KMSAccessDeniedException") throw error;
      return batch.map((message) => ({ id: message.id, ok: false, error: `${name}: ${(error as Error).message}` }));
    }
  }
}

/** Groups messages into batches within both PublishBatch limits, in order. */
export function batches(messages: readonly OutboundMessage[]): OutboundMessage[][] {
  const result: OutboundMessage[][] = [];
  let current: OutboundMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageBytes(message);
    if (current.length > 0 && (current.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}
