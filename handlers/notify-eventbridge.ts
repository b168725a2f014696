import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { EventBridgeBus } from "../src/adapters/eventbridge";
import { boundedClient } from "../src/adapters/request-deadline";
import { parseEventBridgeConfig } from "../src/config/channel-config";
import { EventBridgeChannel } from "../src/notify/channels/eventbridge";
import { notifyHandler } from "./notify-runtime";

// Cold start: a bad configuration fails here, naming every bad variable, before any event is touched.
const config = parseEventBridgeConfig(process.env);

export const handler = notifyHandler(
  new EventBridgeChannel(new EventBridgeBus(boundedClient(EventBridgeClient, {}), config.eventBusName), config.source),
);
