import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";

/** One message for a people-facing topic (email or chat). */
export interface TopicMessage {
  /** Only email subscriptions show it; SNS requires ASCII, no line breaks, at most 100 characters. */
  subject?: string;
  body: string;
  /** String attributes, so subscriptions on this topic can use the same filter policies as on the events topic. */
  attributes: Record<string, string>;
}

/**
 * A plain SNS Publish to one topic. The poller's publisher batches and reports per message; a notify function
 * handles one event per invocation, so a single Publish that throws on failure is all it needs.
 */
export class TopicPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: TopicMessage): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: message.subject,
        Message: message.body,
        MessageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
        ),
      }),
    );
  }
}
