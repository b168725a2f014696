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
import { createDeliveryTable, createSnapshotTable, readTemplateResources } from "./template";

export const LOCAL_REGION = "us-east-1";
/** Any credentials work locally; the SDK just needs some to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

/** Which scopes the local deployment watches: every (account, region) pair of these. */
export interface LocalEstate {
  /** The first account is the deployment's own (the emulator's default account). */
  accounts: readonly string[];
  /** The first region is the deployment's own. */
  regions: readonly string[];
  /** Where the emulator offers batch inference (default: every region above); elsewhere it closes the connection. */
  offeredRegions?: readonly string[];
}

export interface LocalStackOptions {
  clock?: Clock;
  /** Several scopes; absent, one: the emulator's default account in us-east-1 (as before scopes existed). */
  estate?: LocalEstate;
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
  /** The dispatcher's queue (one message per scope per round). */
  scopeQueueUrl: string;
  /** Where Bedrock's job events wait for onBedrockEvents (the EventBridge rule's target). */
  bedrockEventQueueUrl: string;
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
      region: options.estate?.regions[0] ?? LOCAL_REGION,
      ...(options.estate
        ? {
            accountId: options.estate.accounts[0],
            regions: [...(options.estate.offeredRegions ?? options.estate.regions)],
          }
        : {}),
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
    // The explicit endpoint, not each queue URL's host (see startFauxqs), for this client of the tests' own.
    const sqs = new SQSClient({ ...clientConfig, endpoint: fauxqs.endpoint, useQueueUrlAsEndpoint: false });

    const template = readTemplateResources();
    const tableName = options.tableName ?? "bedrock-job-notifier-local-SnapshotTable";
    await createSnapshotTable(dynamodb, tableName);
    const deliveryTableName = "bedrock-job-notifier-local-NotifyDeliveryTable";
    await createDeliveryTable(dynamodb, deliveryTableName);
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
    // The dispatcher's scope queue and the Bedrock-event queue, as the template defines them; a short visibility
    // timeout so a message handed back comes round again within a local run.
    const queueUrl = async (name: string) =>
      (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: "2" } })))
        .QueueUrl as string;
    const scopeQueueUrl = await queueUrl("scope-queue");
    const bedrockEventQueueUrl = await queueUrl("bedrock-events");
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_BEDROCK: bedrock.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbProxy.endpoint,
      AWS_ENDPOINT_URL_SNS: snsProxy.endpoint,
      // The host fauxqs names its queues with (see startFauxqs), so the SDK finds queue URL and endpoint agree.
      AWS_ENDPOINT_URL_SQS: new URL(scopeQueueUrl).origin,
      // The emulator answers STS AssumeRole on its own port, handing out keys of the assumed role's account.
      AWS_ENDPOINT_URL_STS: bedrock.stsEndpoint,
      SCOPE_QUEUE_URL: scopeQueueUrl,
      ...(options.estate
        ? { REGIONS: options.estate.regions.join(","), ACCOUNTS: options.estate.accounts.join(",") }
        : {}),
      SNAPSHOT_TABLE: tableName,
      TOPIC_ARN: topicArn,
      // The people channels' record of what they delivered.
      DELIVERY_TABLE: deliveryTableName,
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
      scopeQueueUrl,
      bedrockEventQueueUrl,
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
