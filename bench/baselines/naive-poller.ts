import { GetModelInvocationJobCommand } from "@aws-sdk/client-bedrock";
import { PutCommand, paginateScan } from "@aws-sdk/lib-dynamodb";
import type { Poller } from "../poller";
import {
  type BaselineClients,
  type BaselineTransition,
  batchWrite,
  CONCURRENCY,
  listAll,
  mapWithConcurrency,
  publishTransitions,
  rowKey,
  WINDOW_MS,
} from "./common";

interface KnownJob {
  jobArn: string;
  status: string;
}

/**
 * The common pattern: a table of known jobs (written by whatever submits them), and a poll that reads the table,
 * calls GetModelInvocationJob for every job in it and puts every row back unconditionally, publishing the jobs
 * whose status changed. Rows expire 8 days after submission, so it tracks the open jobs plus the last 8 days of
 * finished ones: the cap that keeps it from calling Get on every job the account ever ran.
 */
export class NaivePoller implements Poller {
  #known = 0;

  constructor(private readonly clients: BaselineClients) {}

  /** Registers the jobs the submitter would have registered: everything submitted in the last 8 days. */
  async setup(): Promise<void> {
    const jobs = await listAll(this.clients.bedrock, { submitTimeAfter: new Date(Date.now() - WINDOW_MS) });
    await batchWrite(
      this.clients,
      jobs.map((job) => this.#row(job.jobArn as string, job.status as string, job.submitTime as Date)),
    );
    this.#known = jobs.length;
  }

  known(): number {
    return this.#known;
  }

  async poll(): Promise<number> {
    const known = await this.#knownJobs();
    const transitions: BaselineTransition[] = [];
    await mapWithConcurrency(known, CONCURRENCY, async (row) => {
      const job = await this.clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: row.jobArn }));
      const status = job.status as string;
      await this.clients.dynamodb.send(
        new PutCommand({
          TableName: this.clients.tableName,
          Item: this.#row(row.jobArn, status, job.submitTime as Date),
        }),
      );
      if (status !== row.status) {
        transitions.push({ jobArn: row.jobArn, jobName: job.jobName, status, previousStatus: row.status });
      }
    });
    return publishTransitions(this.clients, transitions);
  }

  async #knownJobs(): Promise<KnownJob[]> {
    const rows: KnownJob[] = [];
    const pages = paginateScan({ client: this.clients.dynamodb }, { TableName: this.clients.tableName });
    for await (const page of pages) {
      for (const item of page.Items ?? []) rows.push({ jobArn: item.jobArn, status: item.status });
    }
    this.#known = rows.length;
    return rows;
  }

  #row(jobArn: string, status: string, submitTime: Date): Record<string, unknown> {
    return {
      pk: rowKey(jobArn),
      jobArn,
      status,
      checkedAt: new Date().toISOString(),
      // DynamoDB's TTL drops the job 8 days after submission: the end of its tracking.
      expiresAt: Math.floor((submitTime.getTime() + WINDOW_MS) / 1000),
    };
  }
}
