import type { MiddlewareObj } from "@middy/core";
import type { Context } from "aws-lambda";
import { invocationDeadline, type RequestDeadline } from "../src/adapters/request-deadline";

/** When Lambda stops this invocation. */
export const deadlineOf = (context: Context): Date => new Date(Date.now() + context.getRemainingTimeInMillis());

/** First thing in every function: the SDK clients' requests are bounded by this invocation's deadline from here on. */
export function boundRequestsByDeadline<TEvent, TResult>(
  deadline: RequestDeadline = invocationDeadline,
): MiddlewareObj<TEvent, TResult, Error, Context> {
  return {
    before: ({ context }) => {
      deadline.set(deadlineOf(context));
    },
  };
}
