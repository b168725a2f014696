import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { MessageTopic, TopicMessage } from "../notify/ports";

/**
 * A plain SNS Publish to one topic. The poller's publisher batches and reports per message; a notify function
 * handles one event per invocation, so a single Publish that throws on failure is all it needs.
 */
export class TopicPublisher implements MessageTopic {
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
