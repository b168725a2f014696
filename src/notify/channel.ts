import type { NotifierEvent } from "../domain/notifier-event";

/** One people- or pipeline-facing destination. Throws when the event did not get there. */
export interface NotificationChannel {
  /** For logs and errors: "email", "chat", "slack", "teams", "eventbridge". Never a URL or an address. */
  readonly name: string;
  /** A transition, an early warning or the daily digest: every channel takes all three. */
  deliver(event: NotifierEvent): Promise<void>;
}
