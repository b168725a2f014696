import { WebhookDeliveryError } from "../errors";
import type { WebhookPoster } from "../notify/ports";

export interface WebhookClientOptions {
  /** Lambda keeps running while we wait: a stuck endpoint must fail fast and be retried later. */
  timeoutMs?: number;
  /** Injected in tests; node's global fetch otherwise. */
  fetch?: typeof globalThis.fetch;
}

const RESPONSE_SNIPPET_CHARS = 200;

/** One attempt at posting, with the time it may take; what `PacedWebhookPoster` retries. */
export interface WebhookAttempt {
  post(url: string, body: string, timeoutMs: number): Promise<void>;
}

/**
 * Posts JSON to an incoming webhook (Slack, Teams Workflows), once, and treats anything but 2xx as a failure. A 429
 * or 503 that says how long to wait (`Retry-After`) carries it in the error (`retryAfterMs`).
 */
export class WebhookClient implements WebhookPoster, WebhookAttempt {
  private readonly timeoutMs: number;
  private readonly fetch: typeof globalThis.fetch;

  constructor(options: WebhookClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  postJson(url: string, body: string): Promise<void> {
    return this.post(url, body, this.timeoutMs);
  }

  async post(url: string, body: string, timeoutMs: number): Promise<void> {
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body,
        // A redirected POST may be replayed as a GET elsewhere; a webhook that redirects is misconfigured.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
          ? `no response within ${timeoutMs} ms`
          : "the request could not be sent";
      throw new WebhookDeliveryError(`Webhook delivery failed: ${reason}`, undefined, { cause: withoutUrl(error) });
    }

    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel();
      return;
    }
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
    // Slack and Teams explain a rejection in the body ("invalid_payload", "no_text"); it never echoes the URL.
    const snippet = (await response.text().catch(() => "")).slice(0, RESPONSE_SNIPPET_CHARS);
    throw new WebhookDeliveryError(
      `Webhook delivery failed: HTTP ${response.status}${snippet ? ` (${snippet})` : ""}`,
      response.status,
      { retryAfterMs },
    );
  }
}

/**
 * `Retry-After` (RFC 9110, 10.2.3) in milliseconds from `nowMs`: delay-seconds, or an HTTP-date (a date already
 * past means "now", 0). Undefined when absent or unreadable: the caller's own backoff applies.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // delay-seconds is 1*DIGIT; fractions are tolerated, as some servers send them.
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // An HTTP-date always names its weekday or month in letters; this keeps "-5" or "1e3" from parsing as a date.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * fetch's own errors name the host and port at most, but a wrapped cause could be anything: keep its name, code
 * and message, with any URL in the message replaced.
 */
function withoutUrl(error: unknown): Error {
  if (!(error instanceof Error)) return new Error("unknown error");
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  const safe = new Error(detail.replace(/https?:\/\/\S+/g, "<webhook url>"));
  safe.name = error.name;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") (safe as Error & { code?: string }).code = code;
  return safe;
}
