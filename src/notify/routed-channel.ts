import type { NotifierEvent } from "../domain/notifier-event";
import { matches, type RouteFilter } from "../domain/route-filter";
import type { NotificationChannel } from "./channel";
import type { DeliveryLedger, NotifyLogger } from "./ports";

/** One destination of a routes file, as its function delivers to it: the filter applies in code. */
export interface Route {
  /** The route's name in the routes file: logged, never a URL or an address. */
  name: string;
  filter: RouteFilter;
  channel: NotificationChannel;
  /** People channels: what this destination was already given, so a re-send posts nothing here. */
  ledger?: DeliveryLedger;
}

/**
 * Delivers each event to every route whose filter matches it, each through its own ledger. Every matching route is
 * tried even when one fails; the failures are then thrown together, so Lambda retries the invocation and the ledgers
 * keep the routes already served from posting twice.
 */
export class RoutedChannel implements NotificationChannel {
  constructor(
    readonly name: string,
    private readonly routes: readonly Route[],
    private readonly logger: NotifyLogger,
  ) {}

  async deliver(event: NotifierEvent): Promise<void> {
    const failures: unknown[] = [];
    const matching = this.routes.filter((route) => matches(route.filter, event));
    if (matching.length === 0)
      this.logger.info("No route matches the event", { channel: this.name, eventId: event.eventId });
    for (const route of matching) {
      const context = { channel: this.name, route: route.name, eventId: event.eventId };
      try {
        const outcome = route.ledger
          ? await route.ledger.once(event.eventId, () => route.channel.deliver(event))
          : await route.channel.deliver(event).then(() => "delivered");
        this.logger.info(outcome === "duplicate" ? "Re-send dropped for this route" : "Delivered to route", {
          ...context,
          outcome,
        });
      } catch (error) {
        failures.push(error);
        this.logger.error("Delivery to route failed", {
          ...context,
          errorName: error instanceof Error ? error.name : typeof error,
        });
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} routes failed`);
  }
}
