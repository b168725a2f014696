import { ConfigurationError } from "../errors";

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads a function's environment once, at cold start. Like Powertools' envUtils, each value is checked where it is
 * read and named in the error; unlike them, every problem is collected first, so one failed deployment shows
 * everything that is wrong. `done` throws a ConfigurationError naming every bad variable.
 */
export class EnvironmentReader {
  readonly #problems: string[] = [];
  constructor(private readonly env: Environment) {}

  /** `quote: false` for variables where a mistake could put a secret in the value (a webhook URL). */
  required(name: string, pattern: RegExp, shape: string, { quote = true } = {}): string {
    const value = this.env[name]?.trim();
    if (!value) this.#problems.push(`${name} is required (${shape})`);
    else if (!pattern.test(value)) this.#problems.push(`${name} must be ${shape}${quote ? `, got "${value}"` : ""}`);
    return value ?? "";
  }

  optional(name: string, pattern: RegExp, shape: string, fallback: string): string {
    const value = this.env[name]?.trim();
    if (!value) return fallback;
    if (!pattern.test(value)) this.#problems.push(`${name} must be ${shape}, got "${value}"`);
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.env[name]?.trim();
    if (!value) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.#problems.push(`${name} must be ${allowed.map((option) => `"${option}"`).join(" or ")}, got "${value}"`);
    return fallback;
  }

  wholeNumber(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.#problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  /** Records a problem found by a rule that spans variables. */
  problem(message: string): void {
    this.#problems.push(message);
  }

  done<T>(config: T): T {
    if (this.#problems.length > 0) throw new ConfigurationError(this.#problems);
    return config;
  }
}

/** DynamoDB's own rule for table names. */
export const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
