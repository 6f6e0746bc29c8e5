import type { ApiCredentials, OrderFacts, ProviderEvent } from '../provider.js';
import { isoTime, list, object, text } from '../fields.js';
import { PaddleApi } from './api.js';

/**
 * Completed transactions created since `since`, oldest first, each as the transaction.completed that would have
 * reported it (the event id derives from the transaction, so one reconciled twice is one event).
 */
export async function* listCompletedTransactions(apiBase: string | null, credentials: ApiCredentials, since: Date): AsyncIterable<ProviderEvent> {
  const api = new PaddleApi(apiBase, credentials.apiKey);
  const query = new URLSearchParams({ status: 'completed', 'created_at[GTE]': since.toISOString(), order_by: 'created_at[ASC]', per_page: '100' });
  while (true) {
    const body = await api.get('listing transactions', `/transactions?${query}`);
    for (const item of list(body.data)) {
      const transaction = object(item);
      const id = text(transaction.id);
      if (!id) continue;
      const time = text(transaction.billed_at) ?? text(transaction.created_at);
      yield {
        id: `reconcile:${id}`,
        type: 'transaction.completed',
        account: null,
        createdAt: isoTime(transaction.created_at) ?? new Date(),
        body: { event_id: `reconcile:${id}`, event_type: 'transaction.completed', occurred_at: time, data: transaction },
      };
    }
    const pagination = object(object(body.meta).pagination);
    const after = nextCursor(text(pagination.next));
    if (pagination.has_more !== true || !after) return;
    query.set('after', after);
  }
}

/** The `after` cursor of Paddle's next-page link; the link itself is not followed, so calls stay on the configured base. */
function nextCursor(next: string | null): string | null {
  try {
    return next ? new URL(next).searchParams.get('after') : null;
  } catch {
    return null;
  }
}

/** A transaction names its discount by id; the code a campaign lists is the discount's. */
export async function discountCode(apiBase: string | null, order: OrderFacts, credentials: ApiCredentials): Promise<string[]> {
  if (!order.couponLookup) return [];
  const body = await new PaddleApi(apiBase, credentials.apiKey).get('reading the discount', `/discounts/${encodeURIComponent(order.couponLookup)}`);
  const code = text(object(body.data).code);
  return code ? [code] : [];
}
