/** What the emulator served: lets a benchmark count API calls and bytes without a proxy. */
export interface EmulatorStats {
  calls: Record<string, number>;
  responseBytes: Record<string, number>;
  faults: { throttled: number; serverErrors: number };
}

export class StatsRecorder {
  private calls = new Map<string, number>();
  private bytes = new Map<string, number>();
  private throttled = 0;
  private serverErrors = 0;

  recordResponse(operation: string, bytes: number): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    this.bytes.set(operation, (this.bytes.get(operation) ?? 0) + bytes);
  }

  recordThrottle(): void {
    this.throttled++;
  }

  recordServerError(): void {
    this.serverErrors++;
  }

  snapshot(): EmulatorStats {
    return {
      calls: Object.fromEntries(this.calls),
      responseBytes: Object.fromEntries(this.bytes),
      faults: { throttled: this.throttled, serverErrors: this.serverErrors },
    };
  }

  reset(): void {
    this.calls.clear();
    this.bytes.clear();
    this.throttled = 0;
    this.serverErrors = 0;
  }
}
