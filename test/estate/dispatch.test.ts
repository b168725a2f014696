import { describe, expect, it } from "vitest";
import { type Estate, scopeId } from "../../src/domain/scope";
import type { ScopeMessage } from "../../src/domain/scope-message";
import { NotifierError } from "../../src/errors";
import { dispatchRound } from "../../src/estate/dispatch";
import type { AccountDirectory, ScopeQueue } from "../../src/estate/ports";
import { at, minutes } from "../support/factories";
import { FakeClock } from "../support/fakes";

/** The scope queue in memory: keeps every message; the first `refuse` of each request come back unsent. */
class FakeScopeQueue implements ScopeQueue {
  readonly requests: ScopeMessage[][] = [];
  refuse = 0;
  async enqueue(messages: readonly ScopeMessage[]): Promise<ScopeMessage[]> {
    this.requests.push([...messages]);
    return messages.slice(0, this.refuse);
  }
  get sent(): ScopeMessage[] {
    return this.requests.flat().slice(this.refuse);
  }
}

/** The organization in memory: answers with `accounts` as given and counts the questions. */
class FakeAccountDirectory implements AccountDirectory {
  calls = 0;
  constructor(private readonly accounts: string[]) {}
  async activeAccounts(): Promise<string[]> {
    this.calls++;
    return [...this.accounts];
  }
}

function setup(estate: Estate, accounts?: AccountDirectory) {
  const queue = new FakeScopeQueue();
  const clock = new FakeClock(at(minutes(3)));
  const deps = { estate, queue, clock: clock.now, ...(accounts ? { accounts } : {}) };
  return { queue, clock, deps };
}

describe("dispatchRound", () => {
  it("enqueues one message per scope, accounts first, each with the round's time", async () => {
    // Prepare
    const { queue, deps } = setup({ regions: ["us-east-1", "eu-west-1"], accounts: ["222222222222", "111111111111"] });

    // Act
    const report = await dispatchRound(deps);

    // Assess
    expect(report).toEqual({ accounts: 2, scopes: 4, enqueued: 4 });
    expect(queue.requests).toHaveLength(1);
    expect(queue.sent.map((message) => scopeId(message.scope))).toEqual([
      "222222222222/us-east-1",
      "222222222222/eu-west-1",
      "111111111111/us-east-1",
      "111111111111/eu-west-1",
    ]);
    expect(queue.sent.map((message) => message.dispatchedAt)).toEqual(Array(4).fill(at(minutes(3))));
  });

  it("reads the clock once, so every message of a round carries the same time", async () => {
    // Prepare
    const { queue, deps, clock } = setup({ regions: ["us-east-1"], accounts: ["111111111111", "222222222222"] });
    const now = clock.now;
    let reads = 0;
    deps.clock = () => {
      reads++;
      clock.advance(1000);
      return now();
    };

    // Act
    await dispatchRound(deps);

    // Assess
    expect(reads).toBe(1);
    expect(new Set(queue.sent.map((message) => message.dispatchedAt.getTime())).size).toBe(1);
  });

  it("asks the organization for its accounts, each once and in order, when the estate's accounts are null", async () => {
    // Prepare
    const directory = new FakeAccountDirectory(["333333333333", "111111111111", "333333333333", "222222222222"]);
    const { queue, deps } = setup({ regions: ["us-east-1", "eu-west-1"], accounts: null }, directory);

    // Act
    const report = await dispatchRound(deps);

    // Assess
    expect(directory.calls).toBe(1);
    expect(report).toEqual({ accounts: 3, scopes: 6, enqueued: 6 });
    expect(queue.sent.map((message) => scopeId(message.scope))).toEqual([
      "111111111111/us-east-1",
      "111111111111/eu-west-1",
      "222222222222/us-east-1",
      "222222222222/eu-west-1",
      "333333333333/us-east-1",
      "333333333333/eu-west-1",
    ]);
  });

  it("does not ask the organization when the estate lists its accounts", async () => {
    // Prepare
    const directory = new FakeAccountDirectory(["333333333333"]);
    const { queue, deps } = setup({ regions: ["us-east-1"], accounts: ["111111111111"] }, directory);

    // Act
    await dispatchRound(deps);

    // Assess
    expect(directory.calls).toBe(0);
    expect(queue.sent.map((message) => scopeId(message.scope))).toEqual(["111111111111/us-east-1"]);
  });

  it("throws, naming the count, when some messages could not be sent", async () => {
    // Prepare
    const { queue, deps } = setup({
      regions: ["us-east-1", "eu-west-1", "ap-south-1"],
      accounts: ["111111111111", "222222222222"],
    });
    queue.refuse = 2;

    // Act
    const error = await dispatchRound(deps).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(NotifierError);
    expect((error as Error).message).toBe("2 of 6 scope message(s) could not be sent to the queue");
    expect(queue.requests.flat()).toHaveLength(6);
  });

  it("throws when the estate is the organization's and no account directory is wired", async () => {
    // Prepare
    const { queue, deps } = setup({ regions: ["us-east-1"], accounts: null });

    // Act
    const error = await dispatchRound(deps).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(NotifierError);
    expect((error as Error).message).toMatch(/no account directory is wired/);
    expect(queue.requests).toEqual([]);
  });

  it("lets the directory's failure through and sends nothing", async () => {
    // Prepare
    const refused = Object.assign(new Error("not the management account"), { name: "AccessDeniedException" });
    const directory: AccountDirectory = { activeAccounts: () => Promise.reject(refused) };
    const { queue, deps } = setup({ regions: ["us-east-1"], accounts: null }, directory);

    // Act
    const error = await dispatchRound(deps).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBe(refused);
    expect(queue.requests).toEqual([]);
  });

  it("reports an empty round when the organization has no active account", async () => {
    // Prepare
    const { deps } = setup({ regions: ["us-east-1"], accounts: null }, new FakeAccountDirectory([]));

    // Act
    const report = await dispatchRound(deps);

    // Assess
    expect(report).toEqual({ accounts: 0, scopes: 0, enqueued: 0 });
  });

  it("stamps each round with its own time", async () => {
    // Prepare
    const { queue, deps, clock } = setup({ regions: ["us-east-1"], accounts: ["111111111111"] });
    await dispatchRound(deps);
    clock.advance(minutes(5));

    // Act
    await dispatchRound(deps);

    // Assess
    expect(queue.sent.map((message) => message.dispatchedAt)).toEqual([at(minutes(3)), at(minutes(8))]);
  });
});
