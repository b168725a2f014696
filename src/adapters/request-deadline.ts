import { NodeHttpHandler } from "@smithy/node-http-handler";
import {
  type AbsoluteLocation,
  type HttpHandlerOptions,
  type InitializeHandlerOptions,
  type InitializeMiddleware,
  type MetadataBearer,
  type MiddlewareStack,
  SMITHY_CONTEXT_KEY,
} from "@smithy/types";
import { RequestDeadlineError } from "../errors";

/** How long an AWS request may take; see `attemptTimeoutMs` and `callBudgetMs` for how they combine. */
export interface RequestLimits {
  /** The longest one attempt may take (connecting, sending, the whole answer), with or without a deadline. */
  requestTimeoutCapMs: number;
  /** The longest opening a connection may take; the attempt's own timeout covers this phase too, so it is the lower. */
  connectionTimeoutMs: number;
  /** Kept free before the deadline, so that the invocation can handle a stopped request and still return. */
  safetyMarginMs: number;
}

/**
 * The poll and notify functions run for 15–60 s; a healthy request to SNS, DynamoDB, Bedrock, EventBridge or SSM
 * takes well under a second. A stuck one is cut after 10 s (and retried by the SDK while time is left).
 */
export const REQUEST_LIMITS: Readonly<RequestLimits> = Object.freeze({
  requestTimeoutCapMs: 10_000,
  connectionTimeoutMs: 3_000,
  safetyMarginMs: 1_000,
});

/**
 * The time a whole SDK call (every attempt and every wait between them) may still use: what is left before the
 * deadline, less the safety margin, never negative. Undefined without a deadline: only the caps apply.
 */
export function callBudgetMs(limits: RequestLimits, deadlineMs: number | undefined, nowMs: number): number | undefined {
  return deadlineMs === undefined ? undefined : Math.max(0, deadlineMs - nowMs - limits.safetyMarginMs);
}

/** The timeout of one attempt starting now: the cap, or the call's budget when that is shorter. 0: no time left. */
export function attemptTimeoutMs(limits: RequestLimits, deadlineMs: number | undefined, nowMs: number): number {
  return Math.min(limits.requestTimeoutCapMs, callBudgetMs(limits, deadlineMs, nowMs) ?? Number.POSITIVE_INFINITY);
}

/**
 * When the current invocation will be stopped. Set at the start of each invocation (a middy `before` in
 * handlers/deadline.ts); Lambda runs one invocation at a time per environment, so one value serves every client.
 * Never set outside Lambda (local tools calling adapters): requests then get the fixed caps.
 */
export class RequestDeadline {
  #at: number | undefined;

  set(deadline: Date | undefined): void {
    this.#at = deadline?.getTime();
  }

  callBudgetMs(limits: RequestLimits, now = Date.now()): number | undefined {
    return callBudgetMs(limits, this.#at, now);
  }

  attemptTimeoutMs(limits: RequestLimits, now = Date.now()): number {
    return attemptTimeoutMs(limits, this.#at, now);
  }

  /** The time left before the deadline (negative once it passed); undefined without one. */
  remainingMs(now = Date.now()): number | undefined {
    return this.#at === undefined ? undefined : this.#at - now;
  }
}

/** The deadline of the invocation running in this process. */
export const invocationDeadline = new RequestDeadline();

/**
 * Node's HTTP handler, with each attempt's `requestTimeout` taken from the deadline as the attempt starts. An attempt
 * when no time is left fails at once, before anything is sent, with an error the SDK does not retry.
 *
 * NodeHttpHandler takes `requestTimeout` per request but `connectionTimeout` only per handler: the connection
 * timeout stays the fixed short one, and the request timer, which starts before the socket connects, bounds the
 * connection phase by the time left as well.
 */
export class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(
    private readonly deadline: RequestDeadline = invocationDeadline,
    private readonly limits: RequestLimits = REQUEST_LIMITS,
  ) {
    super({
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutCapMs,
      // Without it an expired requestTimeout only logs a warning and the request goes on waiting.
      throwOnRequestTimeout: true,
    });
  }

  override handle(
    ...[request, options = {}]: Parameters<NodeHttpHandler["handle"]>
  ): ReturnType<NodeHttpHandler["handle"]> {
    const timeoutMs = this.deadline.attemptTimeoutMs(this.limits);
    // 0 would mean "no timeout" to NodeHttpHandler: here it means the time is gone.
    if (timeoutMs <= 0) return Promise.reject(new RequestDeadlineError(`The request to ${request.hostname}`));
    const requestTimeout = Math.min(timeoutMs, options.requestTimeout || timeoutMs);
    return super.handle(request, { ...options, requestTimeout } satisfies HttpHandlerOptions);
  }
}

const DEADLINE_MIDDLEWARE: InitializeHandlerOptions & AbsoluteLocation = {
  name: "requestDeadlineMiddleware",
  step: "initialize",
  priority: "high",
  override: true,
};

/**
 * Bounds a whole SDK call, retries included: refuses to start one when no time is left, and otherwise hands the
 * SDK an abort signal for the call's budget (the SDK's own cancellation: its retry loop stops waiting and gives up
 * when the signal fires). Without a deadline it does nothing and the caps apply.
 */
function deadlineMiddleware(
  deadline: RequestDeadline,
  limits: RequestLimits,
): InitializeMiddleware<object, MetadataBearer> {
  return (next, context) => async (args) => {
    const budgetMs = deadline.callBudgetMs(limits);
    if (budgetMs === undefined) return next(args);
    const operation = `${context.clientName ?? "The AWS client"} ${context.commandName ?? "call"}`;
    if (budgetMs <= 0) throw new RequestDeadlineError(operation);
    const timeUp = new AbortController();
    const timer = setTimeout(() => timeUp.abort(), budgetMs);
    context[SMITHY_CONTEXT_KEY] ??= {};
    const smithy = context[SMITHY_CONTEXT_KEY];
    // A caller's own signal still counts.
    const given = smithy.abortSignal;
    smithy.abortSignal = given instanceof AbortSignal ? AbortSignal.any([given, timeUp.signal]) : timeUp.signal;
    try {
      return await next(args);
    } catch (error) {
      // The retry loop reports its own abort as a bare AbortError: say why it happened.
      if (timeUp.signal.aborted && (error as { name?: unknown })?.name === "AbortError") {
        throw new RequestDeadlineError(operation, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** What `boundedClient` needs of an SDK client: its middleware stack. */
interface SdkClient {
  middlewareStack: Pick<MiddlewareStack<object, MetadataBearer>, "add">;
}

export interface BoundedClientOptions {
  deadline?: RequestDeadline;
  limits?: RequestLimits;
}

/**
 * An SDK client whose every request is bounded by the invocation's deadline (see `DeadlineHttpHandler` and the
 * middleware above), or by the fixed caps when there is none. The configuration is passed through as given, so the
 * endpoint still comes from the SDK's defaults (AWS_ENDPOINT_URL_<SERVICE> included).
 */
export function boundedClient<Config extends object, Client extends SdkClient>(
  Client: new (config: Config) => Client,
  config: Config,
  { deadline = invocationDeadline, limits = REQUEST_LIMITS }: BoundedClientOptions = {},
): Client {
  const client = new Client({ ...config, requestHandler: new DeadlineHttpHandler(deadline, limits) });
  client.middlewareStack.add(deadlineMiddleware(deadline, limits), DEADLINE_MIDDLEWARE);
  return client;
}
