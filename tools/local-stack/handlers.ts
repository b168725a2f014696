import type { Context, SNSEvent } from "aws-lambda";
import type { NotifyOutcome } from "../../src/notify/notify-channel";
import type { ReconcileJobReport } from "../../src/poll/reconcile-job";
import type { PollReport } from "../../src/poll/run-poll";

export type PollHandler = (event: unknown, context: Context) => Promise<PollReport>;
export type BedrockEventHandler = (event: unknown, context: Context) => Promise<ReconcileJobReport | undefined>;
export type NotifyHandler = (event: SNSEvent, context: Context) => Promise<NotifyOutcome>;

/**
 * The real handlers, typed, loaded as Lambda loads them. A handler reads its environment and builds its clients at
 * import (its cold start): set the environment first, and reset the module registry (vitest) or the require cache
 * (a CLI) for a fresh cold start.
 */
export async function loadPollHandler(): Promise<PollHandler> {
  return (await import("../../handlers/poll")).handler;
}

export async function loadBedrockEventHandler(): Promise<BedrockEventHandler> {
  return (await import("../../handlers/on-bedrock-event")).handler;
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
