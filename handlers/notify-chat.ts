import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { SNSClient } from "@aws-sdk/client-sns";
import middy from "@middy/core";
import type { SNSEvent } from "aws-lambda";
import { TopicPublisher } from "../src/adapters/topic-publisher";
import { ChatChannel } from "../src/notify/chat-channel";
import { parseChatConfig } from "../src/notify/config";
import { notifyChannel } from "../src/notify/notify";

// Cold start: a bad configuration fails here, naming every bad variable, before any event is touched.
const config = parseChatConfig(process.env);
const logger = new Logger({ serviceName: "bedrock-job-notifier" });
const channel = new ChatChannel(new TopicPublisher(new SNSClient({}), config.topicArn));

export const handler = middy((event: SNSEvent) => notifyChannel(event, { channel, logger })).use(
  injectLambdaContext(logger, { clearState: true }),
);
