import {
  BedrockClient,
  ListModelInvocationJobsCommand,
  type ListModelInvocationJobsCommandInput,
  type ModelInvocationJobSummary,
} from "@aws-sdk/client-bedrock";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PublishBatchCommand, SNSClient } from "@aws-sdk/client-sns";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// What the two baselines share. They are written the way such pollers usually are: plain SDK calls, no
// lease, no watermark, and the same clients (default endpoint resolution, so AWS_ENDPOINT_URL_* applies) and table
// as the real handler.

/** A finished job's row is kept this long: it covers a job's whole life (up to 7 days) plus its queue time. */
export const WINDOW_MS = 8 * 24 * 3_600_000;
/** Fan-out of the one-request-per-job loops: a common Promise.all chunk size. */
export const CONCURRENCY = 10;
const BATCH_WRITE_LIMIT = 25;
const PUBLISH_BATCH_LIMIT = 10;

export interface BaselineClients {
  bedrock: BedrockClient;
  dynamodb: DynamoDBDocumentClient;
  sns: SNSClient;
  tableName: string;
  topicArn: string;
}

export function baselineClients(env: NodeJS.ProcessEnv = process.env): BaselineClients {
  const region = env.AWS_REGION;
  const tableName = env.SNAPSHOT_TABLE;
  const topicArn = env.TOPIC_ARN;
  if (!region || !tableName || !topicArn) throw new Error("AWS_REGION, SNAPSHOT_TABLE and TOPIC_ARN must be set");
  return {
    bedrock: new BedrockClient({ region }),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
    sns: new SNSClient({ region }),
    tableName,
    topicArn,
  };
}

/** The row key the baselines use; the same `job#` prefix as the real snapshot table. */
export const rowKey = (jobArn: string): string => `job#${jobArn}`;

export async function listAll(
  bedrock: BedrockClient,
  filter: ListModelInvocationJobsCommandInput,
): Promise<ModelInvocationJobSummary[]> {
  const jobs: ModelInvocationJobSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await bedrock.send(
      new ListModelInvocationJobsCommand({ ...filter, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
    );
    jobs.push(...(page.invocationJobSummaries ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return jobs;
}

/** Writes rows 25 at a time, retrying what DynamoDB left unprocessed. */
export async function batchWrite(clients: BaselineClients, items: ReadonlyArray<Record<string, unknown>>) {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    let requests = items.slice(start, start + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const response = await clients.dynamodb.send(
        new BatchWriteCommand({ RequestItems: { [clients.tableName]: requests } }),
      );
      requests = (response.UnprocessedItems?.[clients.tableName] ?? []) as typeof requests;
    }
  }
}

export interface BaselineTransition {
  jobArn: string;
  jobName: string | undefined;
  status: string;
  previousStatus: string | undefined;
}

/** Publishes one small JSON message per transition with PublishBatch, 10 per call; answers how many SNS accepted. */
export async function publishTransitions(
  clients: BaselineClients,
  transitions: readonly BaselineTransition[],
): Promise<number> {
  let accepted = 0;
  for (let start = 0; start < transitions.length; start += PUBLISH_BATCH_LIMIT) {
    const chunk = transitions.slice(start, start + PUBLISH_BATCH_LIMIT);
    const response = await clients.sns.send(
      new PublishBatchCommand({
        TopicArn: clients.topicArn,
        PublishBatchRequestEntries: chunk.map((transition, index) => ({
          Id: String(index),
          Message: JSON.stringify({ type: "JobStatusChanged", ...transition }),
        })),
      }),
    );
    accepted += response.Successful?.length ?? 0;
  }
  return accepted;
}

// The baselines fan out with the same helper the notifier uses.
export { mapWithConcurrency } from "../../src/poll/concurrency";
