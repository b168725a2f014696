import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { EventBusPutError } from "../errors";
import type { BusEvent, EventBus } from "../notify/ports";

/** Puts one event on a custom bus, checking the per-entry result as PutEvents requires. */
export class EventBridgeBus implements EventBus {
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
