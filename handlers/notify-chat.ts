import { Logger } from "@aws-lambda-powertools/logger";
import { SNSClient } from "@aws-sdk/client-sns";
import { boundedClient } from "../src/adapters/request-deadline";
import { TopicPublisher } from "../src/adapters/topic-publisher";
import { parseChatConfig } from "../src/config/channel-config";
import { ChatChannel } from "../src/notify/channels/chat";
import { RoutedChannel } from "../src/notify/routed-channel";
import { notifyHandler } from "./notify-runtime";
import { DELIVERY_LIMITS, deliveryLedger } from "./people-channel";

// Cold start: a bad configuration fails here, naming every bad variable, before any event is touched.
// Either every event goes to the chat topic (CHAT_TOPIC_ARN), or, with chat routes (CHAT_ROUTES), to every route's
// own topic whose filter matches it: Amazon Q subscribes to a topic itself, so the filter cannot sit on its
// subscription and applies here.
const config = parseChatConfig(process.env);
const client = boundedClient(SNSClient, {}, { limits: DELIVERY_LIMITS });
const channelFor = (topicArn: string) =>
  new ChatChannel(new TopicPublisher(client, topicArn), { accountAliases: config.accountAliases });

export const handler = config.routes
  ? notifyHandler(
      new RoutedChannel(
        "chat",
        config.routes.map((route) => ({
          name: route.name,
          filter: route.filter,
          channel: channelFor(route.target),
          // One ledger per route topic: a re-send posts nothing to a topic already given the event.
          ledger: deliveryLedger(config.delivery, "chat", route.target),
        })),
        new Logger(),
      ),
    )
  : notifyHandler(channelFor(config.topicArn), { ledger: deliveryLedger(config.delivery, "chat", config.topicArn) });
