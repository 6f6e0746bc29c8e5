import type { Knex } from 'knex';
import { newId } from '../ids.js';
import { paginate, type Page, type PageQuery } from '../db/pagination.js';

export const OUTCOMES = [
  'attributed', 'adjusted', 'orphan_no_clickid', 'invalid_clickid', 'duplicate',
  'invalid_signature', 'ignored', 'pending_conversion', 'invalid_payload', 'error',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface LogEntry {
  source_id: string | null;
  provider: string;
  provider_event_id: string | null;
  event_type: string | null;
  outcome: Outcome;
  detail: string;
  conversion_id?: string | null;
}

export interface WebhookLogView {
  id: string;
  provider_event_id: string | null;
  event_type: string | null;
  outcome: Outcome;
  detail: string | null;
  conversion_id: string | null;
  received_at: string;
}

type WebhookLogRow = Omit<WebhookLogView, 'received_at'> & { received_at: Date };

export async function writeLog(db: Knex | Knex.Transaction, entry: LogEntry): Promise<string> {
  const id = newId('whl');
  await db('webhook_logs').insert({ id, ...entry, conversion_id: entry.conversion_id ?? null });
  return id;
}

export async function listLogs(
  db: Knex,
  sourceId: string,
  filter: PageQuery & { outcome?: Outcome },
): Promise<Page<WebhookLogView>> {
  const query = db('webhook_logs').where({ source_id: sourceId });
  if (filter.outcome) query.where({ outcome: filter.outcome });
  const { rows, nextCursor } = await paginate<WebhookLogRow>(query, filter);
  return {
    data: rows.map((row) => ({
      id: row.id,
      provider_event_id: row.provider_event_id,
      event_type: row.event_type,
      outcome: row.outcome,
      detail: row.detail,
      conversion_id: row.conversion_id,
      received_at: new Date(row.received_at).toISOString(),
    })),
    next_cursor: nextCursor,
  };
}
