import type { Context, SNSEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { DispatchReport } from "../../src/estate/dispatch";
import type { ScopePollResult, SkippedMessage } from "../../src/estate/poll-scope";
import type { NotifyOutcome } from "../../src/notify/notify-channel";
import type { PollReport } from "../../src/poll/run-poll";

export type PollHandler = (event: unknown, context: Context) => Promise<PollReport>;
export type DispatchHandler = (event: unknown, context: Context) => Promise<DispatchReport>;
export type PollScopeHandler = (event: SQSEvent, context: Context) => Promise<Array<ScopePollResult | SkippedMessage>>;
export type BedrockEventsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
export type DigestHandler = (
  event: unknown,
  context: Context,
) => Promise<{ eventId: string; scopes: number; unavailable: string[] }>;
export type NotifyHandler = (event: SNSEvent, context: Context) => Promise<NotifyOutcome>;

/**
 * The real handlers, typed, loaded as Lambda loads them. A handler reads its environment and builds its clients at
 * import (its cold start): set the environment first, and reset the module registry (vitest) or the require cache
 * (a CLI) for a fresh cold start.
 */
export async function loadPollHandler(): Promise<PollHandler> {
  return (await import("../../handlers/poll")).handler;
}

export async function loadDispatchHandler(): Promise<DispatchHandler> {
  return (await import("../../handlers/dispatch")).handler;
}

export async function loadPollScopeHandler(): Promise<PollScopeHandler> {
  return (await import("../../handlers/poll-scope")).handler;
}

export async function loadBedrockEventsHandler(): Promise<BedrockEventsHandler> {
  return (await import("../../handlers/on-bedrock-events")).handler;
}

export async function loadDigestHandler(): Promise<DigestHandler> {
  return (await import("../../handlers/digest")).handler;
}

export async function loadNotifyHandler(
  name: "notify-email" | "notify-chat" | "notify-webhook" | "notify-eventbridge",
): Promise<NotifyHandler> {
  const modules = {
    "notify-email": () => import("../../handlers/notify-email"),
    "notify-chat": () => import("../../handlers/notify-chat"),
    "notify-webhook": () => import("../../handlers/notify-webhook"),
    "notify-eventbridge": () => import("../../handlers/notify-eventbridge"),
  };
  return (await modules[name]()).handler;
}
