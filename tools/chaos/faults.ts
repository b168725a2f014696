import { mulberry32, type Random } from "../bedrock-emulator/src";
import type { ProxiedRequest, ProxyDecision } from "../local-stack/proxy";
import type { LocalStack } from "../local-stack/stack";
import type { BackgroundFaults } from "./scenario";
import { allFailedResponse, batchEntryIds, errorResponse, withFailedEntries, withoutEntries } from "./sns-wire";

/** Faults for one poll: the scenario's background rates, plus what the poll's kind adds. */
export interface PollFaults extends BackgroundFaults {
  /** Delay of every PublishBatch: slow publishing, so a short Lambda timeout is reached mid-delivery. */
  snsDelayMs?: number;
  /** Let the first PublishBatch through, then fail every DynamoDB write: death between publish and commit. */
  crash?: boolean;
}

export const NO_FAULTS: PollFaults = {
  snsEntryFailureRate: 0,
  snsCallFailureRate: 0,
  snsLostAnswerRate: 0,
  dynamodbErrorRate: 0,
};

export interface InjectedFaults {
  snsEntryFailures: number;
  snsCallFailures: number;
  /** PublishBatch calls SNS applied whose answer the client never got (it saw a 500, and the SDK sent them again). */
  snsLostAnswers: number;
  dynamodbThrottled: number;
  dynamodbServerErrors: number;
  /** Writes DynamoDB applied whose answer the client never got (it saw a 500 and retried). */
  dynamodbLostResponses: number;
  /** Polls that published and then could not write anything more. */
  crashes: number;
}

const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);
const XML = { "content-type": "text/xml" };

const dynamodbError = (status: number, type: string, message: string): ProxyDecision => ({
  kind: "error",
  status,
  body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
});

const SERVER_ERROR = dynamodbError(500, "InternalServerError", "Internal server error");
const THROTTLED = dynamodbError(
  400,
  "ProvisionedThroughputExceededException",
  "The level of configured provisioned throughput for the table was exceeded.",
);

/**
 * Fault injection on the SNS and DynamoDB proxies of a local stack, from one seeded sequence, counting what it
 * injects. Faults always hit before the peer acts (nothing half-done), except the one fault that models a lost
 * answer: a DynamoDB write that was applied, reported to the client as a 500.
 */
export class FaultController {
  readonly injected: InjectedFaults = {
    snsEntryFailures: 0,
    snsCallFailures: 0,
    snsLostAnswers: 0,
    dynamodbThrottled: 0,
    dynamodbServerErrors: 0,
    dynamodbLostResponses: 0,
    crashes: 0,
  };
  #random: Random;
  #faults: PollFaults = NO_FAULTS;
  #crash = { published: false, failedWrites: 0 };
  #forwardedBatches = 0;

  constructor(
    private readonly stack: Pick<LocalStack, "snsProxy" | "dynamodbProxy">,
    seed: number,
  ) {
    this.#random = mulberry32(seed);
    stack.snsProxy.setHook((request) => this.#sns(request));
    stack.dynamodbProxy.setHook((request) => this.#dynamodb(request));
  }

  /** Faults for the next poll(s), until replaced. */
  apply(faults: PollFaults): void {
    this.#faults = faults;
    this.#crash = { published: false, failedWrites: 0 };
  }

  /** Ends a crash poll: true when it really died between publish and commit (it may have found nothing to send). */
  endCrash(): boolean {
    const crashed = this.#crash.published && this.#crash.failedWrites > 0;
    if (crashed) this.injected.crashes++;
    this.apply(NO_FAULTS);
    return crashed;
  }

  /** PublishBatch calls that reached SNS so far: a poll that fails after one of them may have left a re-send. */
  get forwardedBatches(): number {
    return this.#forwardedBatches;
  }

  detach(): void {
    this.stack.snsProxy.setHook(undefined);
    this.stack.dynamodbProxy.setHook(undefined);
  }

  #sns(request: ProxiedRequest): ProxyDecision {
    if (request.operation !== "PublishBatch") return { kind: "forward" };
    const faults = this.#faults;
    const delayMs = faults.snsDelayMs ?? 0;
    if (faults.crash) {
      this.#crash.published = true;
      this.#forwardedBatches++;
      return { kind: "forward", delayMs };
    }
    // Drawn only when the fault is on, so the sequences of scenarios without it stay as they were.
    if (faults.snsLostAnswerRate > 0 && this.#random() < faults.snsLostAnswerRate) {
      // SNS delivers the batch; the client is told it failed, and the SDK's retry publishes it again.
      this.injected.snsLostAnswers++;
      this.#forwardedBatches++;
      return {
        kind: "forward",
        delayMs,
        respond: () => ({
          status: 500,
          headers: XML,
          body: Buffer.from(errorResponse("Receiver", "InternalError", "answer lost after the batch was applied")),
        }),
      };
    }
    if (this.#random() < faults.snsCallFailureRate) {
      this.injected.snsCallFailures++;
      return this.#random() < 0.5
        ? { kind: "error", status: 500, headers: XML, delayMs, body: errorResponse("Receiver", "InternalError", "") }
        : {
            kind: "error",
            status: 429,
            headers: XML,
            delayMs,
            body: errorResponse("Sender", "Throttled", "Rate exceeded"),
          };
    }
    const ids = batchEntryIds(request.body);
    const drop = new Set(ids.filter(() => this.#random() < faults.snsEntryFailureRate));
    if (drop.size === 0) {
      this.#forwardedBatches++;
      return { kind: "forward", delayMs };
    }
    this.injected.snsEntryFailures += drop.size;
    const failed = [...drop].map((id) => ({
      id,
      code: "InternalError",
      message: "The service encountered an internal error. Retry the entry.",
      senderFault: false,
    }));
    if (drop.size === ids.length) {
      return { kind: "respond", status: 200, headers: XML, delayMs, body: allFailedResponse(failed) };
    }
    this.#forwardedBatches++;
    return {
      kind: "forward",
      delayMs,
      body: withoutEntries(request.body, drop),
      respond: (response) =>
        response.status === 200
          ? { ...response, body: Buffer.from(withFailedEntries(response.body.toString("utf8"), failed), "utf8") }
          : response,
    };
  }

  #dynamodb(request: ProxiedRequest): ProxyDecision {
    const write = WRITES.has(request.operation);
    if (this.#faults.crash && this.#crash.published && write) {
      this.#crash.failedWrites++;
      return SERVER_ERROR;
    }
    if (this.#random() >= this.#faults.dynamodbErrorRate) return { kind: "forward" };
    const draw = this.#random();
    if (draw < 0.5) {
      this.injected.dynamodbThrottled++;
      return THROTTLED;
    }
    if (draw < 0.85 || !write) {
      this.injected.dynamodbServerErrors++;
      return SERVER_ERROR;
    }
    this.injected.dynamodbLostResponses++;
    return {
      kind: "forward",
      respond: () => ({
        status: 500,
        headers: { "content-type": "application/x-amz-json-1.0" },
        body: Buffer.from(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError" })),
      }),
    };
  }
}
