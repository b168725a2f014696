/** What a benchmark case needs from a poller, whichever strategy it follows. */
export interface Poller {
  /** Brings the poller to its steady state (first run, or registration of the jobs it tracks). Not measured. */
  setup(): Promise<void>;
  /** One scheduled poll; answers how many transitions it published. */
  poll(): Promise<number>;
  /** How many jobs the poller tracks, when it has that notion (the naive poller's known jobs). */
  known?(): number;
}
