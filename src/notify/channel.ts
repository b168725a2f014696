import type { NotifierEvent } from "../domain/notifier-event";

/** One people- or pipeline-facing destination. Throws when the event did not get there. */
export interface NotificationChannel {
  /** For logs and errors: "email", "chat", "slack", "teams", "eventbridge". Never a URL or an address. */
  readonly name: string;
  /** A transition or an early warning: every channel takes both. */
  deliver(event: NotifierEvent): Promise<void>;
}
