/** A seeded source of numbers in [0, 1). Same seed, same sequence: tests and benchmarks can replay runs. */
export type Random = () => number;

/**
 * mulberry32: a tiny, fast 32-bit PRNG. Not cryptographic, which is fine: we only need reproducible
 * variety (job ids, seeded data, fault decisions), and it avoids pulling in a dependency.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent stream from a seed, so that e.g. job ids do not shift when fault settings change. */
export function deriveSeed(seed: number, stream: string): number {
  let hash = seed >>> 0;
  for (let index = 0; index < stream.length; index++) {
    hash = Math.imul(hash ^ stream.charCodeAt(index), 0x9e3779b1) >>> 0;
  }
  return hash;
}

/** An integer in [min, max], both inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pickOne<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pickOne needs a non-empty list");
  return item;
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A 12-character [a-z0-9] id: the shape Bedrock uses for the last segment of a model-invocation-job ARN. */
export function randomJobId(random: Random): string {
  let id = "";
  for (let index = 0; index < 12; index++) {
    id += ID_ALPHABET.charAt(Math.floor(random() * ID_ALPHABET.length));
  }
  return id;
}
