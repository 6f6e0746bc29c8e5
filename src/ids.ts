import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** Prefixed, time-ordered ids (`lnk_01J...`): readable in logs, and sortable so a cursor is just an id. */
export function newId(prefix: string): string {
  return `${prefix}_${nextUlid()}`;
}

/** A JSON-schema pattern that matches ids of one kind. */
export const idPattern = (prefix: string) => `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`;
