import { SNSClient } from "@aws-sdk/client-sns";
import { boundedClient } from "../src/adapters/request-deadline";
import { TopicPublisher } from "../src/adapters/topic-publisher";
import { parseChatConfig } from "../src/config/channel-config";
import { ChatChannel } from "../src/notify/channels/chat";
import { notifyHandler } from "./notify-runtime";
import { DELIVERY_LIMITS, deliveryLedger } from "./people-channel";

// Cold start: a bad configuration fails here, naming every bad variable, before any event is touched.
const config = parseChatConfig(process.env);

export const handler = notifyHandler(
  new ChatChannel(new TopicPublisher(boundedClient(SNSClient, {}, { limits: DELIVERY_LIMITS }), config.topicArn), {
    accountAliases: config.accountAliases,
  }),
  { ledger: deliveryLedger(config.delivery, "chat", config.topicArn) },
);
