import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddyfiedHandler } from "@middy/core";
import type { Context, SNSEvent } from "aws-lambda";
import type { NotificationChannel } from "../src/notify/channel";
import { type NotifyOutcome, notifyChannel } from "../src/notify/notify-channel";
import type { DeliveryLedger } from "../src/notify/ports";
import { boundRequestsByDeadline } from "./deadline";

export interface NotifyHandlerOptions {
  /** People channels: drop re-sends of events this destination was already given. */
  ledger?: DeliveryLedger;
}

/** A notify function: one channel, fed by SNS, logging with the Lambda context. */
export function notifyHandler(
  channel: NotificationChannel,
  { ledger }: NotifyHandlerOptions = {},
): MiddyfiedHandler<SNSEvent, NotifyOutcome, Error, Context> {
  const logger = new Logger();
  return middy((event: SNSEvent) => notifyChannel(event, { channel, logger, ...(ledger ? { ledger } : {}) }))
    .use(boundRequestsByDeadline())
    .use(injectLambdaContext(logger, { clearState: true }));
}
