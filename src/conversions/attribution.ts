import type { Knex } from 'knex';
import type { ClickIds } from '../clicks/click-id.js';
import type { LinkOwners } from '../links/link-owners.js';
import type { OrderFacts } from '../providers/provider.js';
import type { Attribution } from './models.js';
import { readClickChain } from './click-chains.js';

/** Where a sale is credited under each model: the last click (click_id...) and the first click of its chain. */
export interface Credit {
  campaign_id: string | null;
  link_id: string | null;
  click_id: string | null;
  first_campaign_id: string | null;
  first_link_id: string | null;
  first_click_id: string | null;
}

/** Where the credited clicks came from (their country and referrer host), for reports grouped by either. */
export interface Origins {
  country: string | null;
  referrer_host: string | null;
  first_country: string | null;
  first_referrer_host: string | null;
}

export interface AttributionResult extends Credit, Origins {
  outcome: 'attributed' | 'orphan_no_clickid' | 'invalid_clickid';
  attribution: Attribution | null;
  detail: string;
}

export interface AttributionDeps {
  db: Knex | Knex.Transaction;
  clickIds: ClickIds;
  links: LinkOwners;
  /** Human coupon codes that need the provider's API (Stripe promotion codes). */
  lookUpCouponCodes(order: OrderFacts): Promise<string[]>;
}

/**
 * DESIGN.md's rules, first match wins: metadata click id → client reference id → the customer's earlier
 * click → a campaign's coupon code → orphan. A forged metadata click id is never attributed.
 */
export async function attribute(
  deps: AttributionDeps,
  source: { id: string; workspace_id: string },
  order: OrderFacts,
): Promise<AttributionResult> {
  if (order.clickId) {
    const click = await clickOf(deps, source.workspace_id, order.clickId);
    if (!click) return unattributed('invalid_clickid', 'metadata.synaptyx_clickid failed verification');
    return { outcome: 'attributed', attribution: 'metadata', ...click, detail: 'click id from metadata' };
  }
  if (order.clientReferenceId) {
    // Merchants use client_reference_id for their own ids too: one that is not ours is simply not a click.
    const click = await clickOf(deps, source.workspace_id, order.clientReferenceId);
    if (click) return { outcome: 'attributed', attribution: 'client_reference_id', ...click, detail: 'click id from client reference id' };
  }
  if (order.customerId) {
    const customer = await deps.db('customers').where({ source_id: source.id, customer_id: order.customerId }).first();
    if (customer) {
      const { campaign_id, link_id, click_id, first_campaign_id, first_link_id, first_click_id } = customer;
      return {
        outcome: 'attributed', attribution: 'customer', campaign_id, link_id, click_id, first_campaign_id, first_link_id, first_click_id,
        ...(await originsOf(deps.db, click_id, first_click_id)), detail: 'customer of an earlier attributed sale',
      };
    }
  }
  const { codes, failure } = await couponCodesOf(deps, order);
  if (codes.length > 0) {
    const match = await deps.db('coupon_codes')
      .where({ workspace_id: source.workspace_id })
      .whereRaw(`upper(code) IN (${codes.map(() => '?').join(', ')})`, codes.map((code) => code.toUpperCase()))
      .first('campaign_id', 'code');
    if (match) {
      // No click: the campaign keeps the sale under either model.
      const credit = { campaign_id: match.campaign_id, link_id: null, click_id: null, first_campaign_id: match.campaign_id, first_link_id: null, first_click_id: null };
      return { outcome: 'attributed', attribution: 'coupon', ...credit, ...NO_ORIGINS, detail: `coupon code ${match.code}` };
    }
  }
  const unmatched = codes.length ? `; coupon codes ${codes.join(', ')} match no campaign` : '';
  const unresolved = failure ? `; the promotion code could not be looked up (${failure})` : '';
  return unattributed('orphan_no_clickid', `no click id${unmatched}${unresolved}`);
}

/**
 * The order's coupon codes, with those only the provider's API knows. A failed look-up (a key without the
 * right, the provider down) must not lose the sale: it is recorded without them, and the log says why.
 */
async function couponCodesOf(deps: AttributionDeps, order: OrderFacts): Promise<{ codes: string[]; failure: string | null }> {
  if (!order.couponLookup) return { codes: order.couponCodes, failure: null };
  try {
    return { codes: [...order.couponCodes, ...(await deps.lookUpCouponCodes(order))], failure: null };
  } catch (error) {
    return { codes: order.couponCodes, failure: String((error as Error).message).split('\n')[0].slice(0, 200) };
  }
}

/**
 * A click id this service issued, for a link of this workspace: its link and campaign, and the first click of the
 * visitor's chain (recorded with the click row; the click itself when the row has none yet, or when the chain
 * began on another workspace's link), with where each came from.
 */
export async function clickOf(deps: Pick<AttributionDeps, 'clickIds' | 'links' | 'db'>, workspaceId: string, clickId: string): Promise<(Credit & Origins) | null> {
  const owned = await ownedClick(deps, workspaceId, clickId);
  if (!owned) return null;
  const click = await readClickChain(deps.db, clickId);
  const chained = click?.first_click_id ? await ownedClick(deps, workspaceId, click.first_click_id) : null;
  const first = chained ?? owned;
  // The first click's own origins when its row is recorded; else, as for a chain of one, the click's.
  const firstRow = chained && click?.first_row_id ? { country: click.first_country, referrer_host: click.first_referrer_host } : click;
  return {
    campaign_id: owned.campaign_id, link_id: owned.link_id, click_id: clickId,
    first_campaign_id: first.campaign_id, first_link_id: first.link_id, first_click_id: first.click_id,
    country: click?.country ?? null, referrer_host: click?.referrer_host ?? null,
    first_country: firstRow?.country ?? null, first_referrer_host: firstRow?.referrer_host ?? null,
  };
}

interface ClickRow {
  id: string;
  first_click_id: string | null;
  country: string | null;
  referrer_host: string | null;
}

async function ownedClick(deps: Pick<AttributionDeps, 'clickIds' | 'links'>, workspaceId: string, clickId: string) {
  const claims = deps.clickIds.verify(clickId);
  if (!claims) return null;
  const owner = await deps.links.get(claims.linkId);
  if (owner?.workspace_id !== workspaceId) return null;
  return { campaign_id: owner.campaign_id, link_id: claims.linkId, click_id: clickId };
}

/** Where the clicks a customer's earlier sale credited came from. */
async function originsOf(db: Knex | Knex.Transaction, clickId: string | null, firstClickId: string | null): Promise<Origins> {
  const ids = [clickId, firstClickId].filter((id): id is string => id !== null);
  if (ids.length === 0) return NO_ORIGINS;
  const rows: ClickRow[] = await db('clicks').select('id', 'country', 'referrer_host').whereIn('id', ids);
  const click = rows.find((row) => row.id === clickId);
  const first = rows.find((row) => row.id === firstClickId) ?? click;
  return { country: click?.country ?? null, referrer_host: click?.referrer_host ?? null, first_country: first?.country ?? null, first_referrer_host: first?.referrer_host ?? null };
}

const NO_CREDIT: Credit = { campaign_id: null, link_id: null, click_id: null, first_campaign_id: null, first_link_id: null, first_click_id: null };
const NO_ORIGINS: Origins = { country: null, referrer_host: null, first_country: null, first_referrer_host: null };

function unattributed(outcome: 'orphan_no_clickid' | 'invalid_clickid', detail: string): AttributionResult {
  return { outcome, attribution: null, ...NO_CREDIT, ...NO_ORIGINS, detail };
}
