import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import type { PeersCommand, PeersCommands, PeersRequest, PeersResponse } from "./peers-protocol";

export interface Peers {
  call<C extends PeersCommand>(command: C, argument: PeersCommands[C]["argument"]): Promise<PeersCommands[C]["result"]>;
  /** Stops the peers and waits for their process to exit. */
  stop(): Promise<void>;
}

/**
 * Forks bench/peers.ts and talks to it over the IPC channel, one request id per call. `execArgv` adds node options
 * (a larger heap for the estate's millions of emulated jobs).
 */
export async function startPeers({ execArgv = [] }: { execArgv?: readonly string[] } = {}): Promise<Peers> {
  const child: ChildProcess = fork(join(__dirname, "peers.ts"), [], {
    execArgv: ["--import", "tsx", "--no-warnings", ...execArgv],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.on("message", (message: PeersResponse) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`peers: ${message.error}`));
  });
  child.once("exit", (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`peers process exited with ${code}`));
    pending.clear();
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", () => resolve());
    child.once("error", reject);
  });

  const call = <C extends PeersCommand>(
    command: C,
    argument: PeersCommands[C]["argument"],
  ): Promise<PeersCommands[C]["result"]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, command, argument } satisfies PeersRequest<C>);
    });

  return {
    call,
    stop: async () => {
      if (child.exitCode === null && child.connected) await call("stop", null).catch(() => undefined);
      // The peers hold servers only; once they are closed and the channel is gone the process ends by itself.
      const timeout = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
