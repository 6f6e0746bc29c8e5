import type { Knex } from 'knex';
import { validationFailed } from '../errors.js';
import { findCampaign } from './campaigns.js';

export interface SpendEntry {
  /** A calendar day, `YYYY-MM-DD`, in the workspace's time zone. */
  date: string;
  /** Integer minor units; 0 removes the day's spend in that currency. */
  amount: number;
  currency: string;
}

/** What a campaign cost, per day and currency, so that reports can show ROI. */
export class CampaignSpend {
  constructor(private readonly deps: { db: Knex }) {}

  /** Upserts each (day, currency); an amount of 0 deletes it. Answers the campaign's spend over the days given. */
  async put(workspaceId: string, campaignId: string, entries: SpendEntry[]): Promise<SpendEntry[]> {
    const campaign = await findCampaign(workspaceId, campaignId);
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      const key = `${entry.date} ${entry.currency.toUpperCase()}`;
      if (seen.has(key)) throw validationFailed('The same day and currency appear twice.', [{ in: 'body', pointer: `/${i}`, message: `repeats ${key}` }]);
      seen.add(key);
    });
    const rows = entries.map((entry) => ({ workspace_id: workspaceId, campaign_id: campaign.id, day: entry.date, currency: entry.currency.toUpperCase(), amount: entry.amount }));
    await this.deps.db.transaction(async (trx) => {
      const kept = rows.filter((row) => row.amount > 0);
      const removed = rows.filter((row) => row.amount === 0);
      if (kept.length > 0) await trx('campaign_spend').insert(kept).onConflict(['workspace_id', 'campaign_id', 'day', 'currency']).merge(['amount']);
      for (const row of removed) await trx('campaign_spend').where({ workspace_id: workspaceId, campaign_id: campaign.id, day: row.day, currency: row.currency }).delete();
    });
    if (entries.length === 0) return [];
    const days = entries.map((entry) => entry.date).sort();
    return this.list(workspaceId, campaignId, { from: days[0], to: days[days.length - 1] });
  }

  /** The campaign's spend, oldest day first, within `from`..`to` (both included) when given. */
  async list(workspaceId: string, campaignId: string, range: { from?: string; to?: string } = {}): Promise<SpendEntry[]> {
    const campaign = await findCampaign(workspaceId, campaignId);
    const query = this.deps.db('campaign_spend')
      .where({ workspace_id: workspaceId, campaign_id: campaign.id })
      .select(this.deps.db.raw("to_char(day, 'YYYY-MM-DD') AS date"), 'amount', 'currency')
      .orderBy([{ column: 'day' }, { column: 'currency' }]);
    if (range.from) query.where('day', '>=', range.from);
    if (range.to) query.where('day', '<=', range.to);
    const rows: { date: string; amount: string; currency: string }[] = await query;
    return rows.map((row) => ({ date: row.date, amount: Number(row.amount), currency: row.currency }));
  }
}
