import type { Knex } from 'knex';
import { newId } from '../ids.js';
import { conflict, unprocessable } from '../errors.js';
import { paginate, type Page, type PageQuery } from '../db/pagination.js';
import type { ClickIds } from '../clicks/click-id.js';
import type { LinkOwners } from '../links/link-owners.js';
import { clickOf } from './attribution.js';
import type { Conversion } from './models.js';
import type { CreateConversionBody } from './schemas.js';

export interface ConversionView {
  id: string;
  source_id: string | null;
  campaign_id: string | null;
  link_id: string | null;
  click_id: string | null;
  /** The first click of the visitor's chain (first-click reports credit its link); the click itself when it began one. */
  first_click_id: string | null;
  goal: string;
  provider_order_id: string;
  customer_id: string | null;
  amount: number;
  refunded_amount: number;
  disputed_amount: number;
  net_amount: number;
  currency: string;
  status: Conversion['status'];
  attribution: Conversion['attribution'];
  created_at: string;
  updated_at: string;
}

export function presentConversion(row: Conversion): ConversionView {
  const amount = Number(row.amount);
  const refunded = Number(row.refunded_amount);
  const disputed = Number(row.disputed_amount);
  return {
    id: row.id,
    source_id: row.source_id,
    campaign_id: row.campaign_id,
    link_id: row.link_id,
    click_id: row.click_id,
    first_click_id: row.first_click_id,
    goal: row.goal,
    provider_order_id: row.provider_order_id,
    customer_id: row.customer_id,
    amount,
    refunded_amount: refunded,
    disputed_amount: disputed,
    net_amount: Math.max(0, amount - refunded - disputed),
    currency: row.currency,
    status: row.status,
    attribution: row.attribution,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

export interface ConversionFilter extends PageQuery {
  campaign_id?: string;
  link_id?: string;
  source_id?: string;
  from?: string;
  to?: string;
}

export class Conversions {
  constructor(private readonly deps: { db: Knex; clickIds: ClickIds; links: LinkOwners }) {}

  async list(workspaceId: string, filter: ConversionFilter): Promise<Page<ConversionView>> {
    const query = this.deps.db('conversions').where({ workspace_id: workspaceId });
    for (const column of ['campaign_id', 'link_id', 'source_id'] as const) {
      if (filter[column]) query.where(column, filter[column]);
    }
    if (filter.from) query.where('created_at', '>=', new Date(filter.from));
    if (filter.to) query.where('created_at', '<', new Date(filter.to));
    const { rows, nextCursor } = await paginate<Conversion>(query, filter);
    return { data: rows.map(presentConversion), next_cursor: nextCursor };
  }

  /** Server-to-server: idempotent on order_id (201 new, 200 with the existing row); a forged click id → 422. */
  async record(workspaceId: string, input: CreateConversionBody): Promise<{ created: boolean; conversion: ConversionView }> {
    const click = await clickOf(this.deps, workspaceId, input.click_id);
    if (!click) throw unprocessable('invalid_click_id', 'click_id is not a click id this workspace issued.');
    const inserted = await this.deps.db.raw(
      `INSERT INTO conversions (id, workspace_id, source_id, campaign_id, link_id, click_id, first_campaign_id, first_link_id, first_click_id,
         country, referrer_host, first_country, first_referrer_host, goal, provider_order_id, amount, currency, attribution)
       VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'server')
       ON CONFLICT (workspace_id, (coalesce(source_id, '')), provider_order_id) DO NOTHING
       RETURNING *`,
      [
        newId('conv'), workspaceId, click.campaign_id, click.link_id, click.click_id, click.first_campaign_id, click.first_link_id, click.first_click_id,
        click.country, click.referrer_host, click.first_country, click.first_referrer_host,
        input.goal ?? 'purchase', input.order_id, input.amount, input.currency.toUpperCase(),
      ],
    );
    if (inserted.rows.length > 0) return { created: true, conversion: presentConversion(inserted.rows[0]) };
    const existing: Conversion = await this.deps.db('conversions')
      .where({ workspace_id: workspaceId, provider_order_id: input.order_id })
      .whereNull('source_id')
      .first();
    assertSameSale(existing, input);
    return { created: false, conversion: presentConversion(existing) };
  }
}

/** A replay of an order already recorded must be the same sale: another amount or currency is a mistake to report. */
function assertSameSale(existing: Conversion, input: CreateConversionBody): void {
  const differences = [
    Number(existing.amount) !== input.amount ? { pointer: '/amount', message: `is ${input.amount}, but order ${input.order_id} was recorded with ${existing.amount}` } : null,
    existing.currency !== input.currency.toUpperCase() ? { pointer: '/currency', message: `is ${input.currency.toUpperCase()}, but order ${input.order_id} was recorded in ${existing.currency}` } : null,
  ].filter((difference) => difference !== null);
  if (differences.length > 0) {
    throw conflict(`Order ${input.order_id} is already recorded with another ${differences.map((d) => d.pointer.slice(1)).join(' and ')}; a conversion is never changed by replaying it.`, differences);
  }
}
