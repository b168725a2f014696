import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";

/** PutEvents answered, but refused the entry; HTTP 200 says nothing about the entries themselves. */
export class EventBusPutError extends Error {
  readonly errorCode: string | undefined;
  constructor(busName: string, errorCode: string | undefined, errorMessage: string | undefined) {
    super(
      `EventBridge refused the event on bus "${busName}": ${errorCode ?? "unknown error"} ${errorMessage ?? ""}`.trim(),
    );
    this.name = "EventBusPutError";
    this.errorCode = errorCode;
  }
}

export interface BusEvent {
  source: string;
  detailType: string;
  /** The JSON document rules match on (`detail.*`). */
  detail: string;
  resources: string[];
  time: Date;
}

/** Puts one event on a custom bus, checking the per-entry result as PutEvents requires. */
export class EventBridgeBus {
  constructor(
    private readonly client: EventBridgeClient,
    /** Name or ARN of the bus. */
    private readonly busName: string,
  ) {}

  async put(event: BusEvent): Promise<void> {
    const output = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: event.source,
            DetailType: event.detailType,
            Detail: event.detail,
            Resources: event.resources,
            Time: event.time,
          },
        ],
      }),
    );
    const entry = output.Entries?.[0];
    if ((output.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode !== undefined || entry?.EventId === undefined) {
      throw new EventBusPutError(this.busName, entry?.ErrorCode, entry?.ErrorMessage);
    }
  }
}
