import type { SNSEvent, SNSEventRecord } from "aws-lambda";
import type { NotifyLogger } from "../../src/notify/ports";

/** An SNS → Lambda event as the events topic delivers it: one record per invocation. */
export function snsEventOf(...bodies: string[]): SNSEvent {
  return {
    Records: bodies.map(
      (body, index): SNSEventRecord => ({
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: "arn:aws:sns:us-east-1:123456789012:events:sub",
        Sns: {
          Type: "Notification",
          MessageId: `message-${index}`,
          TopicArn: "arn:aws:sns:us-east-1:123456789012:events",
          Subject: "subject",
          Message: body,
          Timestamp: "2024-08-29T01:15:01.000Z",
          SignatureVersion: "1",
          Signature: "EXAMPLE",
          SigningCertUrl: "https://example.invalid/cert.pem",
          UnsubscribeUrl: "https://example.invalid/unsubscribe",
          MessageAttributes: {},
        },
      }),
    ),
  };
}

export interface RecordedLog {
  level: "info" | "warn" | "error";
  message: string;
  details: Record<string, unknown>;
}

/** Keeps every log call, so a test can assert what was (and was not) written. */
export class RecordingLogger implements NotifyLogger {
  readonly entries: RecordedLog[] = [];
  info(message: string, details: Record<string, unknown>): void {
    this.entries.push({ level: "info", message, details });
  }
  warn(message: string, details: Record<string, unknown>): void {
    this.entries.push({ level: "warn", message, details });
  }
  error(message: string, details: Record<string, unknown>): void {
    this.entries.push({ level: "error", message, details });
  }
  /** Everything logged, as one string, to search for text that must never appear. */
  text(): string {
    return JSON.stringify(this.entries);
  }
}
