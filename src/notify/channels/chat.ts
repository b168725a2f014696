import type { JobStatusEvent } from "../../domain/event";
import { messageAttributes } from "../../domain/message-attributes";
import { renderChat } from "../../domain/render/chatbot";
import type { NotificationChannel } from "../channel";
import type { MessageTopic } from "../ports";

/**
 * Publishes an Amazon Q Developer custom notification to the chat topic. The attributes travel along so a
 * filter policy on the Amazon Q Developer subscription can pick statuses, as on the events topic.
 */
export class ChatChannel implements NotificationChannel {
  readonly name = "chat";

  constructor(private readonly topic: MessageTopic) {}

  async deliver(event: JobStatusEvent): Promise<void> {
    await this.topic.publish({ body: renderChat(event), attributes: messageAttributes(event) });
  }
}
