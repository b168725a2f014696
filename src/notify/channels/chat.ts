import type { NotifierEvent } from "../../domain/notifier-event";
import { renderChatTopicMessage } from "../../domain/render/chatbot";
import type { RenderOptions } from "../../domain/render/facts";
import type { NotificationChannel } from "../channel";
import type { MessageTopic } from "../ports";

/**
 * Publishes an Amazon Q Developer custom notification to the chat topic. The attributes travel along so a
 * filter policy on the Amazon Q Developer subscription can pick statuses, as on the events topic; they are the
 * very attributes the renderer counted against the SNS size limit.
 */
export class ChatChannel implements NotificationChannel {
  readonly name = "chat";

  constructor(
    private readonly topic: MessageTopic,
    private readonly options: RenderOptions = {},
  ) {}

  async deliver(event: NotifierEvent): Promise<void> {
    const { body, attributes } = renderChatTopicMessage(event, this.options);
    await this.topic.publish({ body, attributes });
  }
}
