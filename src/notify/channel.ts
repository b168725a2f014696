import type { JobStatusEvent } from "../domain/event";

/** One people- or pipeline-facing destination. Throws when the event did not get there. */
export interface NotificationChannel {
  /** For logs and errors: "email", "chat", "slack", "teams", "eventbridge". Never a URL or an address. */
  readonly name: string;
  deliver(event: JobStatusEvent): Promise<void>;
}
