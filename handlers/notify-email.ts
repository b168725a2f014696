import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { SNSClient } from "@aws-sdk/client-sns";
import middy from "@middy/core";
import type { SNSEvent } from "aws-lambda";
import { TopicPublisher } from "../src/adapters/topic-publisher";
import { parseEmailConfig } from "../src/notify/config";
import { EmailChannel } from "../src/notify/email-channel";
import { notifyChannel } from "../src/notify/notify";

// Cold start: a bad configuration fails here, naming every bad variable, before any event is touched.
const config = parseEmailConfig(process.env);
const logger = new Logger({ serviceName: "bedrock-job-notifier" });
const channel = new EmailChannel(new TopicPublisher(new SNSClient({}), config.topicArn));

export const handler = middy((event: SNSEvent) => notifyChannel(event, { channel, logger })).use(
  injectLambdaContext(logger, { clearState: true }),
);
