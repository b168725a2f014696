import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { BedrockEmulator, type Clock, type FaultOptions } from "../bedrock-emulator/src";
import { type LocalPeer, startDynalite, startFauxqs } from "./peers";
import { type CountingProxy, startCountingProxy } from "./proxy";
import { createSnapshotTable, readTemplateResources } from "./template";

export const LOCAL_REGION = "us-east-1";
/** Any credentials work locally; the SDK just needs some to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

export interface LocalStackOptions {
  clock?: Clock;
  seed?: number;
  faults?: FaultOptions;
  tableName?: string;
  topicName?: string;
}

export interface DeliveredMessage {
  body: string;
  attributes: Record<string, string>;
}

/** Every part the notifier talks to, on 127.0.0.1, with the table and topic created as serverless.yml defines them. */
export interface LocalStack {
  bedrock: BedrockEmulator;
  dynamodbEndpoint: string;
  /** Between the handlers and dynalite / fauxqs: request counts per operation, and fault injection. */
  dynamodbProxy: CountingProxy;
  snsProxy: CountingProxy;
  /** fauxqs serves SNS and SQS on one endpoint. */
  snsEndpoint: string;
  tableName: string;
  topicArn: string;
  /** A raw-delivery SQS queue subscribed to every event on the topic. */
  allEventsQueueUrl: string;
  /** The environment the Lambda handlers read, pointing every SDK client at the local peers. */
  env: Record<string, string>;
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  sqs: SQSClient;
  /** Creates a queue subscribed to the topic (raw delivery), optionally with a filter policy on message attributes. */
  subscribeQueue(name: string, filterPolicy?: Record<string, unknown>): Promise<string>;
  /** Receives and deletes everything currently in a queue. */
  drain(queueUrl: string): Promise<DeliveredMessage[]>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const bedrock = await BedrockEmulator.start({
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      seed: options.seed ?? 1,
      region: LOCAL_REGION,
    });
    started.push(bedrock);
    const dynalite: LocalPeer = await startDynalite();
    started.push(dynalite);
    const fauxqs: LocalPeer = await startFauxqs(0, LOCAL_REGION);
    started.push(fauxqs);

    const dynamodbProxy = await startCountingProxy(dynalite.endpoint);
    started.push(dynamodbProxy);
    const snsProxy = await startCountingProxy(fauxqs.endpoint);
    started.push(snsProxy);

    const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: dynalite.endpoint });
    const sns = new SNSClient({ ...clientConfig, endpoint: fauxqs.endpoint });
    const sqs = new SQSClient({ ...clientConfig, endpoint: fauxqs.endpoint });

    const template = readTemplateResources();
    const tableName = options.tableName ?? "bedrock-job-notifier-local-SnapshotTable";
    await createSnapshotTable(dynamodb, tableName);
    const topic = await sns.send(
      new CreateTopicCommand({
        Name: options.topicName ?? "bedrock-job-notifier-local-EventsTopic",
        Attributes: template.topicDisplayName
          ? { DisplayName: template.topicDisplayName.replace(/\$\{[^}]*\}/g, "local") }
          : {},
      }),
    );
    const topicArn = topic.TopicArn as string;

    const subscribeQueue = async (name: string, filterPolicy?: Record<string, unknown>): Promise<string> => {
      const queue = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const queueUrl = queue.QueueUrl as string;
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
      );
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: "sqs",
          Endpoint: attributes.Attributes?.QueueArn,
          Attributes: {
            RawMessageDelivery: "true",
            ...(filterPolicy ? { FilterPolicy: JSON.stringify(filterPolicy) } : {}),
          },
        }),
      );
      return queueUrl;
    };

    const drain = async (queueUrl: string): Promise<DeliveredMessage[]> => {
      const delivered: DeliveredMessage[] = [];
      for (;;) {
        const page = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            MessageAttributeNames: ["All"],
          }),
        );
        const messages = page.Messages ?? [];
        if (messages.length === 0) return delivered;
        for (const message of messages) {
          const attributes: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
            if (value.StringValue !== undefined) attributes[name] = value.StringValue;
          }
          delivered.push({ body: message.Body ?? "", attributes });
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle as string,
            })),
          }),
        );
      }
    };

    const allEventsQueueUrl = await subscribeQueue("all-events");
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_BEDROCK: bedrock.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbProxy.endpoint,
      AWS_ENDPOINT_URL_SNS: snsProxy.endpoint,
      SNAPSHOT_TABLE: tableName,
      TOPIC_ARN: topicArn,
      // fauxqs names every topic in account 000000000000; the deployment's account is the emulator's.
      HOME_ACCOUNT_ID: bedrock.accountId,
    };

    return {
      bedrock,
      dynamodbEndpoint: dynalite.endpoint,
      dynamodbProxy,
      snsProxy,
      snsEndpoint: fauxqs.endpoint,
      tableName,
      topicArn,
      allEventsQueueUrl,
      env,
      dynamodb,
      sns,
      sqs,
      subscribeQueue,
      drain,
      stop: async () => {
        for (const client of [dynamodb, sns, sqs]) client.destroy();
        for (const peer of started.reverse()) await peer.stop();
      },
    };
  } catch (error) {
    for (const peer of started.reverse()) await peer.stop().catch(() => undefined);
    throw error;
  }
}
