/// <reference lib="dom" />
/**
 * The attach snippet (`/s/<source_id>.js`) that merchants put on their pages: it keeps the visitor's click id
 * first-party and carries it into Stripe and Polar checkouts. Bundled as one IIFE, so `window.synaptyx` is
 * its only global; it makes no request of its own and nothing it does may throw into the merchant's page.
 */
import { resolveClickId } from './click-id-store.js';
import { withClickId } from './checkout-payload.js';
import { decorate, decorateContinuously } from './page-decoration.js';

type ReadyCallback = (synaptyx: Synaptyx) => void;

interface Synaptyx {
  /** The visitor's click id, or null when they came through no tracked link. */
  clickId(): string | null;
  /** With a checkout create payload: a copy carrying the click id. Without: decorates the page's checkouts. */
  attach<T>(payload?: T): T | undefined;
  /** Runs `callback(synaptyx)` now; the stub page code installs before us queues these instead. */
  ready(callback: ReadyCallback): void;
}

/** What a merchant's page may have set before we loaded: `{q: [callbacks], ready(f) { this.q.push(f) }}`. */
interface QueueStub {
  q?: unknown[];
  clickId?: unknown;
}

const page = window as unknown as { synaptyx?: QueueStub | Synaptyx };

function install(): void {
  const stub = page.synaptyx as QueueStub | undefined;
  if (stub && typeof stub.clickId == 'function') return; // included twice: the first copy already runs
  const id = resolveClickId();
  const synaptyx: Synaptyx = {
    clickId: () => id,
    attach(payload) {
      try {
        if (payload == null) {
          if (id) decorate(document, id);
          return payload;
        }
        return id ? withClickId(payload, id) : payload;
      } catch {
        return payload;
      }
    },
    ready(callback) {
      try {
        if (typeof callback == 'function') callback(synaptyx);
      } catch {
        // the merchant's callback failed: that stays between it and its page, and the next callback still runs
      }
    },
  };
  page.synaptyx = synaptyx;
  if (id) decorateContinuously(id);
  if (stub && Array.isArray(stub.q)) stub.q.forEach((callback) => synaptyx.ready(callback as ReadyCallback));
}

try {
  install();
} catch {
  // an exotic page (no document.cookie, a frozen window): stay silent rather than break checkout
}
