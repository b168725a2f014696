import { Logger } from "@aws-lambda-powertools/logger";
import { SNSClient } from "@aws-sdk/client-sns";
import { boundedClient } from "../src/adapters/request-deadline";
import { TopicPublisher } from "../src/adapters/topic-publisher";
import { parseEmailConfig } from "../src/config/channel-config";
import { EmailChannel } from "../src/notify/channels/email";
import { RoutedChannel } from "../src/notify/routed-channel";
import { notifyHandler } from "./notify-runtime";
import { DELIVERY_LIMITS, deliveryLedger } from "./people-channel";

// Cold start: a bad configuration fails here, naming every bad variable, before any event is touched.
// Every event goes to the email topic (EMAIL_TOPIC_ARN), whose subscriptions filter with SNS filter policies. With
// email routes SNS cannot filter (EMAIL_ROUTES), each matching event also goes to that route's own topic.
const config = parseEmailConfig(process.env);
const client = boundedClient(SNSClient, {}, { limits: DELIVERY_LIMITS });
const channelFor = (topicArn: string) =>
  new EmailChannel(new TopicPublisher(client, topicArn), { accountAliases: config.accountAliases });

/** The email topic as a route that takes every event, keeping the ledger it always had. */
const EMAIL_TOPIC_ROUTE = {
  name: "email-topic",
  filter: {},
  channel: channelFor(config.topicArn),
  ledger: deliveryLedger(config.delivery, "email", config.topicArn),
};

export const handler = config.routes
  ? notifyHandler(
      new RoutedChannel(
        "email",
        [
          EMAIL_TOPIC_ROUTE,
          ...config.routes.map((route) => ({
            name: route.name,
            filter: route.filter,
            channel: channelFor(route.target),
            ledger: deliveryLedger(config.delivery, "email", route.target),
          })),
        ],
        new Logger(),
      ),
    )
  : notifyHandler(EMAIL_TOPIC_ROUTE.channel, { ledger: EMAIL_TOPIC_ROUTE.ledger });
