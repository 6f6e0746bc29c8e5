// The reports benchmark's data set, shared with bench:dashboard: one workspace with 20 campaigns, 200 links,
// 3 sources, 180 days of spend, human clicks through the service's own click writer (COPY plus the report tables in
// the same transaction), and 50,000 conversions through the sale rule itself (syx_record_sales).
import knexFactory, { type Knex } from 'knex';
import { createLogger } from '../../src/logger.js';
import { ClickIds } from '../../src/clicks/click-id.js';
import { ClickWriter } from '../../src/clicks/click-writer.js';
import { recordSales, saleRow } from '../../src/conversions/sale-batch.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { newId } from '../../src/ids.js';
import { SERVICE_SECRET } from './processes.js';

export const CONVERSIONS = 50_000;
const CAMPAIGNS = 20;
const LINKS_PER_CAMPAIGN = 10;
export const DAYS = 180;
const CURRENCIES = ['USD', 'EUR', 'GBP'];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'RO', 'FR', 'IN', null];
const REFERRERS = ['https://www.google.com/', 'https://news.ycombinator.com/item?id=1', 'https://t.co/x', 'https://www.reddit.com/r/x', null, null];
export const NOW = Date.now();

export interface Seed {
  workspaceId: string;
  key: string;
  links: { id: string; campaign_id: string }[];
  sources: string[];
}

let state = 42;
/** mulberry32, seeded, so two runs seed the same data (32-bit arithmetic: a float LCG here degenerates to a short cycle). */
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];

export async function seedWorkspace(db: Knex): Promise<Seed> {
  const { workspace, api_key: key } = await createWorkspace('Reports benchmark');
  await db('workspaces').where({ id: workspace.id }).update({ created_at: new Date(NOW - (DAYS + 5) * 86_400_000) });
  const links: Seed['links'] = [];
  for (let c = 0; c < CAMPAIGNS; c++) {
    const campaign = { id: newId('cmp'), workspace_id: workspace.id, name: `Campaign ${c + 1}`, destination_url: 'https://shop.example.com/' };
    await db('campaigns').insert(campaign);
    for (let l = 0; l < LINKS_PER_CAMPAIGN; l++) {
      const link = { id: newId('lnk'), workspace_id: workspace.id, campaign_id: campaign.id, slug: `c${c}-l${l}-${newId('s').slice(-6)}` };
      await db('links').insert(link);
      links.push({ id: link.id, campaign_id: campaign.id });
    }
  }
  const sources = ['stripe', 'polar', 'stripe'].map((provider) => ({ id: newId('src'), workspace_id: workspace.id, provider, mode: 'api_key', status: 'active' }));
  await db('sources').insert(sources);
  const spend = [];
  for (const campaign of new Set(links.map((link) => link.campaign_id))) {
    for (let day = 0; day < DAYS; day++) {
      spend.push({ workspace_id: workspace.id, campaign_id: campaign, day: new Date(NOW - day * 86_400_000).toISOString().slice(0, 10), currency: pick(CURRENCIES), amount: 1_000 + Math.floor(rand() * 20_000) });
    }
  }
  for (let i = 0; i < spend.length; i += 1_000) await db('campaign_spend').insert(spend.slice(i, i + 1_000)).onConflict(['workspace_id', 'campaign_id', 'day', 'currency']).ignore();
  return { workspaceId: workspace.id, key, links, sources: sources.map((source) => source.id) };
}

export interface SampledClick {
  id: string;
  linkId: string;
  campaignId: string;
  first: { id: string; linkId: string; campaignId: string; country: string | null; referrer: string | null };
  country: string | null;
  referrer: string | null;
  at: number;
}

/**
 * Clicks through the service's own click writer (COPY, and the report tables in the same transaction), 10,000
 * to a batch: the bulk load takes the path every click takes. A fifth of the clicks continue a visitor's chain.
 */
export async function seedClicks(db: Knex, seed: Seed, count: number, sample: SampledClick[]): Promise<number> {
  const started = Date.now();
  const writer = new ClickWriter({ db, logger: createLogger('warn'), secret: SERVICE_SECRET }, { batchSize: 10_000, maxPending: 50_000 });
  const clickIds = new ClickIds(SERVICE_SECRET);
  const recent: SampledClick[] = [];
  for (let i = 0; i < count; i++) {
    const link = pick(seed.links);
    const at = NOW - Math.floor(rand() * DAYS * 86_400_000);
    const id = clickIds.mint(link.id, at);
    const country = pick(COUNTRIES);
    const referrer = pick(REFERRERS);
    const chained = recent.length > 0 && rand() < 0.2 ? pick(recent) : null;
    const first = chained ? chained.first : { id, linkId: link.id, campaignId: link.campaign_id, country, referrer: referrer && new URL(referrer).hostname.replace(/^www\./, '') };
    writer.record({ id, linkId: link.id, workspaceId: seed.workspaceId, campaignId: link.campaign_id, firstClickId: chained ? first.id : null, at: new Date(at), ip: null, userAgent: 'Mozilla/5.0 (bench)', referer: referrer, country });
    const click = { id, linkId: link.id, campaignId: link.campaign_id, first, country, referrer: referrer && new URL(referrer).hostname.replace(/^www\./, ''), at };
    if (recent.length < 1_000) recent.push(click);
    else recent[Math.floor(rand() * recent.length)] = click;
    if (sample.length < CONVERSIONS * 2) sample.push(click);
    else if (rand() < 0.01) sample[Math.floor(rand() * sample.length)] = click;
    if (writer.pendingCount >= 40_000) await writer.flush();
  }
  while (writer.pendingCount > 0) await writer.flush();
  return (Date.now() - started) / 1000;
}

/** Sales through the sale rule itself (syx_record_sales), 500 to a call; then 10% refunded and some disputed in place. */
export async function seedConversions(db: Knex, seed: Seed, sample: SampledClick[]): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < CONVERSIONS; i += 500) {
    const rows = sample.slice(i, i + 500).map((click) => {
      const soldAt = Math.min(NOW - 1_000, click.at + Math.floor(rand() * 3 * 86_400_000));
      const orderId = `pi_bench_${newId('o')}`;
      return saleRow({
        source: { id: pick(seed.sources), workspace_id: seed.workspaceId },
        provider: 'stripe',
        event: { id: `evt_${orderId}`, type: 'checkout.session.completed' },
        order: {
          orderId, refs: [orderId], amount: 1_000 + Math.floor(rand() * 49_000), currency: pick(CURRENCIES), clickId: click.id, clientReferenceId: null,
          customerId: null, couponCodes: [], couponLookup: null, paymentLookup: null, renewal: false, initialSubscriptionPayment: false,
          refundedAmount: null, occurredAt: new Date(soldAt),
        },
        goal: 'purchase',
        attribution: {
          outcome: 'attributed', attribution: 'metadata', detail: 'bench',
          campaign_id: click.campaignId, link_id: click.linkId, click_id: click.id,
          first_campaign_id: click.first.campaignId, first_link_id: click.first.linkId, first_click_id: click.first.id,
          country: click.country, referrer_host: click.referrer, first_country: click.first.country, first_referrer_host: click.first.referrer,
        },
        note: '',
      });
    });
    await recordSales(db, rows);
  }
  // As refunds and lost disputes leave them: each touched sale changed once, in place.
  await db.raw(`UPDATE conversions SET refunded_amount = CASE WHEN r < 0.05 THEN amount ELSE amount / 2 END,
                   status = CASE WHEN r < 0.05 THEN 'refunded' ELSE 'partially_refunded' END
                  FROM (SELECT id AS target, random() AS r FROM conversions WHERE workspace_id = ?) AS pick
                 WHERE id = pick.target AND pick.r < 0.1`, [seed.workspaceId]);
  await db.raw(`UPDATE conversions SET disputed_amount = amount, status = 'disputed'
                 WHERE workspace_id = ? AND refunded_amount = 0 AND right(id, 2) = '00'`, [seed.workspaceId]);
  return (Date.now() - started) / 1000;
}


/**
 * What autovacuum does for a live database (statistics, no dead rows from the seeding's updates), on a connection of
 * its own without the service's 30 s statement timeout: at 5,000,000 clicks a VACUUM takes longer than that.
 */
export async function vacuumAnalyze(db: Knex, databaseUrl: string | null): Promise<void> {
  if (!databaseUrl) {
    await db.raw('VACUUM ANALYZE');
    return;
  }
  const maintenance = knexFactory.knex({ client: 'pg', connection: databaseUrl, pool: { min: 1, max: 1 } });
  try {
    await maintenance.raw('SET statement_timeout = 0');
    await maintenance.raw('VACUUM ANALYZE');
  } finally {
    await maintenance.destroy();
  }
}
