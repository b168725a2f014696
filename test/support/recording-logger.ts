import type { NotifyLogger } from "../../src/notify/ports";

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
