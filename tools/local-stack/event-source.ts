import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { lambdaContext } from "./lambda-events";

export interface EventSourceOptions {
  /** Messages per invocation (SQS hands out at most 10 per receive; more are gathered over several receives). */
  batchSize: number;
  /** Invocations at once, as the event source mapping's maximum concurrency. */
  concurrency: number;
  /** The function's timeout: each invocation's context counts down from it. */
  timeoutMs?: number;
  functionName?: string;
  /** Sees each invocation's result (a scope poll's report, a batch response). */
  onResult?: (result: unknown) => void;
}

export interface EventSourceFigures {
  invocations: number;
  messages: number;
  /** Messages handed back as batch item failures (they come back after the visibility timeout). */
  retried: number;
  /** Invocations that threw: their whole batch comes back. */
  failedInvocations: number;
}

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | unknown>;

/**
 * What Lambda's SQS event source mapping does, on a real SQS peer (fauxqs): receive a batch, invoke the function
 * with it, delete what succeeded (all but the reported batch item failures; nothing when the function threw), with
 * at most `concurrency` invocations at once. `drain` runs until the queue answers empty.
 */
export class SqsEventSource {
  readonly figures: EventSourceFigures = { invocations: 0, messages: 0, retried: 0, failedInvocations: 0 };

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly handler: Handler,
    private readonly options: EventSourceOptions,
  ) {}

  /** Invokes the function until a receive finds the queue empty; resolves with the invocations made. */
  async drain(): Promise<number> {
    const before = this.figures.invocations;
    const workers = Array.from({ length: this.options.concurrency }, () => this.#work());
    await Promise.all(workers);
    return this.figures.invocations - before;
  }

  async #work(): Promise<void> {
    for (;;) {
      const records = await this.#receiveBatch();
      if (records.length === 0) return;
      await this.#invoke(records);
    }
  }

  async #receiveBatch(): Promise<SQSRecord[]> {
    const records: SQSRecord[] = [];
    while (records.length < this.options.batchSize) {
      const page = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(10, this.options.batchSize - records.length),
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ["All"],
        }),
      );
      const messages = page.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) {
        records.push({
          messageId: message.MessageId ?? "",
          receiptHandle: message.ReceiptHandle ?? "",
          body: message.Body ?? "",
          attributes: {
            ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? "1",
            SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
            SenderId: message.Attributes?.SenderId ?? "local",
            ApproximateFirstReceiveTimestamp:
              message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: message.MD5OfBody ?? "",
          eventSource: "aws:sqs",
          eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${this.queueUrl.split("/").at(-1)}`,
          awsRegion: "us-east-1",
        });
      }
    }
    return records;
  }

  async #invoke(records: SQSRecord[]): Promise<void> {
    this.figures.invocations++;
    this.figures.messages += records.length;
    let failed = new Set<string>();
    try {
      const response = await this.handler(
        { Records: records },
        lambdaContext(this.options.timeoutMs ?? 60_000, this.options.functionName),
      );
      this.options.onResult?.(response);
      const failures = (response as SQSBatchResponse | undefined)?.batchItemFailures ?? [];
      failed = new Set(failures.map((failure) => failure.itemIdentifier));
    } catch {
      this.figures.failedInvocations++;
      failed = new Set(records.map((record) => record.messageId));
    }
    this.figures.retried += failed.size;
    const done = records.filter((record) => !failed.has(record.messageId));
    for (let start = 0; start < done.length; start += 10) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: done.slice(start, start + 10).map((record, index) => ({
            Id: String(index),
            ReceiptHandle: record.receiptHandle,
          })),
        }),
      );
    }
  }
}
