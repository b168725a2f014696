import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import middy from "@middy/core";
import type { SNSEvent } from "aws-lambda";
import { EventBridgeBus } from "../src/adapters/eventbridge";
import { parseEventBridgeConfig } from "../src/notify/config";
import { EventBridgeChannel } from "../src/notify/eventbridge-channel";
import { notifyChannel } from "../src/notify/notify";

// Cold start: a bad configuration fails here, naming every bad variable, before any event is touched.
const config = parseEventBridgeConfig(process.env);
const logger = new Logger({ serviceName: "bedrock-job-notifier" });
const channel = new EventBridgeChannel(
  new EventBridgeBus(new EventBridgeClient({}), config.eventBusName),
  config.source,
);

export const handler = middy((event: SNSEvent) => notifyChannel(event, { channel, logger })).use(
  injectLambdaContext(logger, { clearState: true }),
);
