import { Logger } from "@aws-lambda-powertools/logger";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { EventBridgeBus } from "../src/adapters/eventbridge";
import { boundedClient } from "../src/adapters/request-deadline";
import { parseEventBridgeConfig } from "../src/config/channel-config";
import { EventBridgeChannel } from "../src/notify/channels/eventbridge";
import { RoutedChannel } from "../src/notify/routed-channel";
import { notifyHandler } from "./notify-runtime";

// Cold start: a bad configuration fails here, naming every bad variable, before any event is touched.
// Either EVENT_BUS_NAME names the one bus (the simple param), or EVENTBRIDGE_ROUTES lists every bus of a routes file
// with its filter, applied here. No ledger: machine consumers deduplicate by eventId themselves.
const config = parseEventBridgeConfig(process.env);
const client = boundedClient(EventBridgeClient, {});
const channelFor = (bus: string) => new EventBridgeChannel(new EventBridgeBus(client, bus), config.source);

export const handler = config.routes
  ? notifyHandler(
      new RoutedChannel(
        "eventbridge",
        config.routes.map((route) => ({ name: route.name, filter: route.filter, channel: channelFor(route.target) })),
        new Logger(),
      ),
    )
  : notifyHandler(channelFor(config.eventBusName));
