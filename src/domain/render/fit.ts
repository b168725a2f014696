import { truncateUtf8 } from "../message";

export const TRUNCATION_MARK = " …[truncated]";

/** What a renderer is given: the failure message to show and whether it had to be shortened. */
export interface FittedMessage {
  text: string | null;
  truncated: boolean;
}

/**
 * Renders with the whole failure message when the result fits, otherwise with the longest prefix of it that
 * does. The failure message is the only unbounded part of an event, so shortening it (and saying so) keeps
 * every other fact in the message: nothing is dropped to meet a channel's size limit.
 */
export function fitFailureMessage<T>(
  message: string | null,
  render: (fitted: FittedMessage) => T,
  fits: (rendered: T) => boolean,
): T {
  const whole = render({ text: message, truncated: false });
  if (message === null || fits(whole)) return whole;

  const withPrefix = (bytes: number): T =>
    render({ text: `${truncateUtf8(message, bytes)}${TRUNCATION_MARK}`, truncated: true });

  // Binary search on the byte budget: a handful of renders even for a message near 256 KB.
  let low = 0;
  let high = Buffer.byteLength(message, "utf8");
  let best = withPrefix(0);
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const candidate = withPrefix(middle);
    if (fits(candidate)) {
      best = candidate;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best;
}

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");
