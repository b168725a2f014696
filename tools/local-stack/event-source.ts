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
  /** Sees each invocation's result (a scope poll's report, a batch response), and which sandbox ran it and how long. */
  onResult?: (result: unknown, invocation: InvocationFigures) => void;
}

/** One invocation as the event source saw it. */
export interface InvocationFigures {
  /** Which sandbox of the pool ran it (0 with a single handler: every invocation shares its module state). */
  sandbox: number;
  records: number;
  /** From the call of the handler to its answer (the function's duration, as Lambda would bill it locally). */
  durationMs: number;
}

export interface EventSourceFigures {
  invocations: number;
  messages: number;
  /** Messages handed back as batch item failures (they come back after the visibility timeout). */
  retried: number;
  /** Invocations that threw: their whole batch comes back. */
  failedInvocations: number;
}

export type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | unknown>;

/**
 * What Lambda's SQS event source mapping does, on a real SQS peer (fauxqs): receive a batch, invoke the function
 * with it, delete what succeeded (all but the reported batch item failures; nothing when the function threw), with
 * at most `concurrency` invocations at once. `drain` runs until the queue answers empty.
 *
 * The function is one handler (every invocation shares one module state, as one sandbox would if Lambda ran them
 * at once), or a pool of sandboxes, one handler each, built over runtimes of their own: each invocation then runs
 * in whichever sandbox is free, as Lambda hands a message to a free execution environment, and the pool's size is
 * the concurrency.
 */
export class SqsEventSource {
  readonly figures: EventSourceFigures = { invocations: 0, messages: 0, retried: 0, failedInvocations: 0 };
  readonly #sandboxes: readonly Handler[];

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    handler: Handler | readonly Handler[],
    private readonly options: EventSourceOptions,
  ) {
    this.#sandboxes = typeof handler === "function" ? [handler] : handler;
    if (this.#sandboxes.length === 0) throw new RangeError("an event source needs at least one sandbox");
    if (this.#sandboxes.length > 1 && this.#sandboxes.length !== options.concurrency) {
      throw new RangeError(
        `a pool of ${this.#sandboxes.length} sandboxes runs ${this.#sandboxes.length} invocations at once, not ${options.concurrency}`,
      );
    }
  }

  /** Invokes the function until a receive finds the queue empty; resolves with the invocations made. */
  async drain(): Promise<number> {
    const before = this.figures.invocations;
    const workers = Array.from({ length: this.options.concurrency }, (_, slot) =>
      this.#work(this.#sandboxes.length > 1 ? slot : 0),
    );
    await Promise.all(workers);
    return this.figures.invocations - before;
  }

  /** One sandbox: it takes the next batch as soon as it is free. */
  async #work(sandbox: number): Promise<void> {
    for (;;) {
      const records = await this.#receiveBatch();
      if (records.length === 0) return;
      await this.#invoke(records, sandbox);
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

  async #invoke(records: SQSRecord[], sandbox: number): Promise<void> {
    this.figures.invocations++;
    this.figures.messages += records.length;
    let failed = new Set<string>();
    const handler = this.#sandboxes[sandbox] as Handler;
    try {
      const startedAt = performance.now();
      const response = await handler(
        { Records: records },
        lambdaContext(this.options.timeoutMs ?? 60_000, this.options.functionName),
      );
      const durationMs = performance.now() - startedAt;
      this.options.onResult?.(response, { sandbox, records: records.length, durationMs });
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
