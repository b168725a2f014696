import { WebhookDeliveryError } from "../errors";
import type { WebhookPoster } from "../notify/ports";
import { invocationDeadline, REQUEST_LIMITS, type RequestDeadline } from "./request-deadline";
import type { WebhookAttempt } from "./webhook";

export interface WebhookPacingOptions {
  /** The least time from the end of one post to a webhook to the start of the next (Slack: about one a second). */
  minIntervalMs: number;
  /** The longest one attempt may take, when the deadline leaves more. */
  timeoutMs: number;
  /** Attempts per delivery, the first included. The deadline usually stops retries first. */
  maxAttempts?: number;
  /** Backoff without a Retry-After: a random wait up to base × 2^(attempt − 1), capped (AWS's "full jitter"). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Time kept free before the invocation's deadline: after the post, the delivery is recorded (one DynamoDB
   * UpdateItem, itself bounded 1 s before the deadline) and the invocation answers. No attempt runs into it.
   */
  reserveMs?: number;
  /** No attempt is started with less time than this for it: it could only time out. */
  minAttemptMs?: number;
  deadline?: RequestDeadline;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** `Retry-After` has a resolution of one second and is measured from the server's answer: wait a little past it. */
const RETRY_AFTER_MARGIN_MS = 100;

/** Worth another attempt: no answer (timeout, connection), 408, 425, 429 and every 5xx. */
export function isTransient(error: WebhookDeliveryError): boolean {
  const { status } = error;
  return status === undefined || status === 408 || status === 425 || status === 429 || status >= 500;
}

/** One webhook's pacing: when the next post may start, and the posts waiting for their turn. */
interface Lane {
  notBefore: number;
  tail: Promise<void>;
}

/**
 * Posts to a webhook one request at a time per URL, `minIntervalMs` apart, honouring `Retry-After`
 * (a 429's or 503's, in seconds or as a date: no request before it has elapsed, in this sandbox) and retrying
 * transient failures (429, 5xx, no answer) with capped, jittered exponential backoff, never past the invocation's
 * deadline. A permanent refusal (any other 4xx, a redirect) is not retried. When it gives up it throws, and Lambda's
 * asynchronous retries (1 and 3 minutes later), then the NotifyDlq and its alarm, take over.
 *
 * The lanes live as long as the sandbox: a Retry-After that outlasts one invocation still holds back the next one
 * in the same sandbox, which waits for it if it has the time, and otherwise fails at once without posting. With the
 * function's reserved concurrency of 1 (serverless/channels-functions.yml) one sandbox at a time posts to a webhook.
 */
export class PacedWebhookPoster implements WebhookPoster {
  readonly #lanes = new Map<string, Lane>();
  readonly #minIntervalMs: number;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #limits: typeof REQUEST_LIMITS;
  readonly #minAttemptMs: number;
  readonly #deadline: RequestDeadline;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(
    private readonly attempt: WebhookAttempt,
    options: WebhookPacingOptions,
  ) {
    this.#minIntervalMs = options.minIntervalMs;
    this.#timeoutMs = options.timeoutMs;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#baseDelayMs = options.baseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 8_000;
    this.#limits = { ...REQUEST_LIMITS, safetyMarginMs: options.reserveMs ?? 2_000 };
    this.#minAttemptMs = options.minAttemptMs ?? 500;
    this.#deadline = options.deadline ?? invocationDeadline;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
  }

  postJson(url: string, body: string): Promise<void> {
    let lane = this.#lanes.get(url);
    if (!lane) {
      lane = { notBefore: 0, tail: Promise.resolve() };
      this.#lanes.set(url, lane);
    }
    const current = lane;
    // One request at a time per webhook: each post starts when the previous one has ended, however it ended.
    const delivery = current.tail.then(() => this.#deliver(url, body, current));
    current.tail = delivery.then(
      () => undefined,
      () => undefined,
    );
    return delivery;
  }

  async #deliver(url: string, body: string, lane: Lane): Promise<void> {
    let last: WebhookDeliveryError | undefined;
    for (let attempts = 0; attempts < this.#maxAttempts; attempts++) {
      const waitMs = Math.max(0, lane.notBefore - this.#now());
      const budgetMs = this.#deadline.callBudgetMs(this.#limits, this.#now());
      if (budgetMs !== undefined && waitMs + this.#minAttemptMs > budgetMs) {
        throw this.#givingUp(attempts, last, waitMs > 0 ? waitMs : undefined);
      }
      if (waitMs > 0) await this.#sleep(waitMs);

      const timeoutMs = Math.min(this.#timeoutMs, this.#deadline.callBudgetMs(this.#limits, this.#now()) ?? Infinity);
      try {
        await this.attempt.post(url, body, timeoutMs);
        return;
      } catch (error) {
        if (!(error instanceof WebhookDeliveryError) || !isTransient(error)) throw error;
        last = error;
        const delayMs =
          error.retryAfterMs !== undefined ? error.retryAfterMs + RETRY_AFTER_MARGIN_MS : this.#backoffMs(attempts + 1);
        lane.notBefore = Math.max(lane.notBefore, this.#now() + delayMs);
      } finally {
        // Counted from the end of this request, not its start: the next one then reaches the webhook at least
        // minIntervalMs after this one did, whatever the network did to either.
        lane.notBefore = Math.max(lane.notBefore, this.#now() + this.#minIntervalMs);
      }
    }
    throw this.#givingUp(this.#maxAttempts, last, undefined);
  }

  #backoffMs(attempt: number): number {
    return Math.floor(this.#random() * Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1)));
  }

  /** The last failure, saying how many attempts were made and why no more: never the URL. */
  #givingUp(attempts: number, last: WebhookDeliveryError | undefined, waitMs: number | undefined): Error {
    const why =
      attempts >= this.#maxAttempts
        ? `gave up after ${attempts} attempts`
        : waitMs !== undefined
          ? `${attempts > 0 ? `gave up after ${attempts} attempt(s): ` : ""}the next attempt may start only in ` +
            `${Math.ceil(waitMs / 1000)} s (pacing or the webhook's Retry-After), past this invocation's deadline`
          : `gave up after ${attempts} attempt(s): no time left before this invocation's deadline`;
    if (!last) {
      return new WebhookDeliveryError(`Webhook delivery not attempted: ${why}`, undefined);
    }
    return new WebhookDeliveryError(`${last.message}; ${why}`, last.status, {
      cause: last,
      retryAfterMs: last.retryAfterMs,
    });
  }
}
