import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

/** A protocol peer listening on 127.0.0.1 only. */
export interface LocalPeer {
  endpoint: string;
  stop(): Promise<void>;
}

const LOOPBACK = "127.0.0.1";

/** dynalite: a DynamoDB wire-protocol server, in memory, in this process. */
export async function startDynalite(port = 0): Promise<LocalPeer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    endpoint: `http://${LOOPBACK}:${actual}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * fauxqs: SNS and SQS (with subscriptions, raw delivery and filter policies) in this process. Built from its
 * `buildApp` rather than `startFauxqs`, which would listen on every interface.
 */
export async function startFauxqs(port = 0, region = "us-east-1"): Promise<LocalPeer> {
  const { buildApp, interceptLocalhostDns } = await import("fauxqs");
  // fauxqs names queues http://sqs.<region>.localhost:<port>/..., and the SDK sends a queue's requests to its URL's
  // host, as it must in AWS. RFC 6761 reserves *.localhost for loopback, but glibc does not resolve it: fauxqs's own
  // lookup patch does, for this process, while a fauxqs is running.
  const restoreDns = claimLocalhostDns(interceptLocalhostDns);
  const app = buildApp({ logger: false, defaultRegion: region });
  await app.listen({ port, host: LOOPBACK });
  const { port: actual } = app.server.address() as AddressInfo;
  return {
    endpoint: `http://${LOOPBACK}:${actual}`,
    stop: async () => {
      await app.close();
      restoreDns();
    },
  };
}

let dnsClaims = 0;
let restoreLookup: (() => void) | undefined;

/** One patch for every fauxqs this process runs; restored when the last one stops. */
function claimLocalhostDns(intercept: () => () => void): () => void {
  if (dnsClaims++ === 0) restoreLookup = intercept();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--dnsClaims === 0) {
      restoreLookup?.();
      restoreLookup = undefined;
    }
  };
}
