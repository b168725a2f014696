import type { NotifierEvent } from "../../domain/notifier-event";
import { renderEmail } from "../../domain/render/email";
import type { RenderOptions } from "../../domain/render/facts";
import type { NotificationChannel } from "../channel";
import type { MessageTopic } from "../ports";

/** Publishes a readable plain-text email (subject + body) to the email topic, with the events topic's attributes. */
export class EmailChannel implements NotificationChannel {
  readonly name = "email";

  constructor(
    private readonly topic: MessageTopic,
    private readonly options: RenderOptions = {},
  ) {}

  async deliver(event: NotifierEvent): Promise<void> {
    const email = renderEmail(event, this.options);
    await this.topic.publish({ subject: email.subject, body: email.body, attributes: email.attributes });
  }
}
