import type { ModelInvocationJobSummary } from "@aws-sdk/client-bedrock";
import { BatchGetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Poller } from "../poller";
import {
  type BaselineClients,
  batchWrite,
  CONCURRENCY,
  listAll,
  mapWithConcurrency,
  publishTransitions,
  rowKey,
  WINDOW_MS,
} from "./common";

const BATCH_GET_LIMIT = 100;

/**
 * The window poller: every poll lists every job submitted in the last 8 days (all pages), reads their rows with
 * BatchGetItem (100 keys per call), publishes the ones whose status differs, and puts those rows. Simple and
 * correct, but its cost grows with the jobs submitted in the window, not with the jobs that can still change.
 */
export class WindowPoller implements Poller {
  constructor(private readonly clients: BaselineClients) {}

  /** The first run records every job in the window without announcing anything. */
  async setup(): Promise<void> {
    const { jobs, changed } = await this.#diff();
    await batchWrite(
      this.clients,
      changed.map((job) => this.#row(job)),
    );
    if (jobs.length === 0) throw new Error("the window poller saw no job at all");
  }

  async poll(): Promise<number> {
    const { changed, previous } = await this.#diff();
    const published = await publishTransitions(
      this.clients,
      changed.map((job) => ({
        jobArn: job.jobArn as string,
        jobName: job.jobName,
        status: job.status as string,
        previousStatus: previous.get(job.jobArn as string),
      })),
    );
    await mapWithConcurrency(changed, CONCURRENCY, (job) =>
      this.clients.dynamodb.send(new PutCommand({ TableName: this.clients.tableName, Item: this.#row(job) })),
    );
    return published;
  }

  async #diff() {
    const jobs = await listAll(this.clients.bedrock, { submitTimeAfter: new Date(Date.now() - WINDOW_MS) });
    const previous = await this.#statuses(jobs.map((job) => job.jobArn as string));
    const changed = jobs.filter((job) => previous.get(job.jobArn as string) !== job.status);
    return { jobs, changed, previous };
  }

  async #statuses(jobArns: readonly string[]): Promise<Map<string, string>> {
    const { dynamodb, tableName } = this.clients;
    const chunks: string[][] = [];
    for (let start = 0; start < jobArns.length; start += BATCH_GET_LIMIT) {
      chunks.push(jobArns.slice(start, start + BATCH_GET_LIMIT) as string[]);
    }
    const statuses = new Map<string, string>();
    await mapWithConcurrency(chunks, CONCURRENCY, async (chunk) => {
      let keys: Array<Record<string, unknown>> = chunk.map((jobArn) => ({ pk: rowKey(jobArn) }));
      while (keys.length > 0) {
        const response = await dynamodb.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
        for (const item of response.Responses?.[tableName] ?? []) statuses.set(item.jobArn, item.status);
        keys = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    });
    return statuses;
  }

  #row(job: ModelInvocationJobSummary): Record<string, unknown> {
    return {
      pk: rowKey(job.jobArn as string),
      jobArn: job.jobArn,
      status: job.status,
      // Rows outlive the window a little, then DynamoDB's TTL removes them.
      expiresAt: Math.floor((Date.now() + WINDOW_MS) / 1000) + 86_400,
    };
  }
}
