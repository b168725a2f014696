import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddyfiedHandler } from "@middy/core";
import type { Context, SNSEvent } from "aws-lambda";
import type { NotificationChannel } from "../src/notify/channel";
import { type NotifyOutcome, notifyChannel } from "../src/notify/notify-channel";
import { boundRequestsByDeadline } from "./deadline";

/** A notify function: one channel, fed by SNS, logging with the Lambda context. */
export function notifyHandler(channel: NotificationChannel): MiddyfiedHandler<SNSEvent, NotifyOutcome, Error, Context> {
  const logger = new Logger();
  return middy((event: SNSEvent) => notifyChannel(event, { channel, logger }))
    .use(boundRequestsByDeadline())
    .use(injectLambdaContext(logger, { clearState: true }));
}
