import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * Cryptographically strong bytes as ulid's PRNG, drawn from a pool refilled 4 kB at a time: ulid asks for one
 * number per character, and a system call per character was a measurable share of the webhook path.
 * A byte / 256 maps evenly onto ulid's 32 characters.
 */
function pooledRandom(): () => number {
  const pool = Buffer.alloc(4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++] / 256;
  };
}

const nextUlid = monotonicFactory(pooledRandom());

/** Prefixed, time-ordered ids (`lnk_01J...`): readable in logs, and sortable so a cursor is just an id. */
export function newId(prefix: string): string {
  return `${prefix}_${nextUlid()}`;
}

/** A JSON-schema pattern that matches ids of one kind. */
export const idPattern = (prefix: string) => `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`;
