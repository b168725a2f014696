import type { DispatchReport } from "../../src/estate/dispatch";
import type { ScopePollResult, SkippedMessage } from "../../src/estate/poll-scope";
import { SqsEventSource } from "./event-source";
import { loadBedrockEventsHandler, loadDispatchHandler, loadPollScopeHandler } from "./handlers";
import { lambdaContext, scheduledEvent } from "./lambda-events";
import type { LocalStack } from "./stack";

export interface Round {
  dispatch: DispatchReport;
  results: Array<ScopePollResult | SkippedMessage>;
  /** Worker invocations the round took. */
  invocations: number;
}

/**
 * The estate's functions wired as the template wires them, on the local peers: the schedule invokes `dispatch`,
 * whose scope messages go through fauxqs to `pollScope` workers (batch size 1, `concurrency` at once); Bedrock events
 * queued on the event queue go to `onBedrockEvents` in batches. Load it after the stack's environment is set: the
 * handlers read it at import, as on a cold start.
 */
export class LocalEstateRunner {
  private constructor(
    private readonly stack: LocalStack,
    private readonly handlers: {
      dispatch: Awaited<ReturnType<typeof loadDispatchHandler>>;
      pollScope: Awaited<ReturnType<typeof loadPollScopeHandler>>;
      onBedrockEvents: Awaited<ReturnType<typeof loadBedrockEventsHandler>>;
    },
    private readonly concurrency: number,
  ) {}

  static async load(stack: LocalStack, { concurrency = 4 } = {}): Promise<LocalEstateRunner> {
    const handlers = {
      dispatch: await loadDispatchHandler(),
      pollScope: await loadPollScopeHandler(),
      onBedrockEvents: await loadBedrockEventsHandler(),
    };
    return new LocalEstateRunner(stack, handlers, concurrency);
  }

  /** One scheduled round: dispatch, then the workers until the scope queue is empty. */
  async round(): Promise<Round> {
    const dispatch = await this.handlers.dispatch(scheduledEvent(), lambdaContext(60_000, "local-dispatch"));
    const results: Array<ScopePollResult | SkippedMessage> = [];
    const workers = new SqsEventSource(this.stack.sqs, this.stack.scopeQueueUrl, this.handlers.pollScope, {
      batchSize: 1,
      concurrency: this.concurrency,
      functionName: "local-pollScope",
      onResult: (result) => results.push(...(result as Array<ScopePollResult | SkippedMessage>)),
    });
    const invocations = await workers.drain();
    return { dispatch, results, invocations };
  }

  /** The Bedrock-event function over everything queued on the event queue, `batchSize` events per invocation. */
  async confirmQueuedEvents({ batchSize = 100, concurrency = 2 } = {}): Promise<SqsEventSource["figures"]> {
    const source = new SqsEventSource(this.stack.sqs, this.stack.bedrockEventQueueUrl, this.handlers.onBedrockEvents, {
      batchSize,
      concurrency,
      functionName: "local-onBedrockEvents",
    });
    await source.drain();
    return source.figures;
  }
}
