import type { Knex } from 'knex';
import { newId } from '../ids.js';
import { conflict, notFound, validationFailed } from '../errors.js';
import { paginate, type Page, type PageQuery } from '../db/pagination.js';
import { Campaign, CouponCode } from './models.js';
import type { CreateCampaignBody, UpdateCampaignBody } from './schemas.js';

export interface CampaignView {
  id: string;
  name: string;
  coupon_codes: string[];
  destination_url: string | null;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export function presentCampaign(campaign: Campaign): CampaignView {
  return {
    id: campaign.id,
    name: campaign.name,
    coupon_codes: [...(campaign.coupon_codes ?? [])].sort((a, b) => a.position - b.position).map((c) => c.code),
    destination_url: campaign.destination_url,
    created_at: campaign.created_at.toISOString(),
    updated_at: campaign.updated_at.toISOString(),
    archived_at: campaign.archived_at?.toISOString() ?? null,
  };
}

/** Notified when a campaign changes in a way that changes where its links redirect. */
export type CampaignChangeListener = (campaignId: string) => void;

export class Campaigns {
  constructor(private readonly deps: { onChange: CampaignChangeListener }) {}

  async create(workspaceId: string, input: CreateCampaignBody): Promise<CampaignView> {
    const campaign = await Campaign.transaction(async (trx) => {
      const created = await Campaign.query(trx).insertAndFetch({
        id: newId('cmp'),
        workspace_id: workspaceId,
        name: input.name,
        destination_url: input.destination_url ?? null,
      });
      await replaceCouponCodes(trx, created, input.coupon_codes ?? []);
      return created;
    });
    return this.get(workspaceId, campaign.id);
  }

  async list(workspaceId: string, page: PageQuery & { include_archived?: boolean }): Promise<Page<CampaignView>> {
    const query = Campaign.query().where({ workspace_id: workspaceId }).withGraphFetched('coupon_codes');
    if (!page.include_archived) query.modify('active');
    const { rows, nextCursor } = await paginate(query, page);
    return { data: rows.map(presentCampaign), next_cursor: nextCursor };
  }

  async get(workspaceId: string, id: string): Promise<CampaignView> {
    return presentCampaign(await findCampaign(workspaceId, id));
  }

  async update(workspaceId: string, id: string, input: UpdateCampaignBody): Promise<CampaignView> {
    await Campaign.transaction(async (trx) => {
      const campaign = await findCampaign(workspaceId, id, trx);
      if (campaign.archived_at && input.coupon_codes?.length) {
        throw conflict('That campaign is archived: archiving released its coupon codes, and it takes no new ones.');
      }
      if (input.destination_url === null) await assertLinksKeepADestination(trx, campaign.id);
      const { coupon_codes: couponCodes, ...fields } = input;
      await campaign.$query(trx).patch({ ...fields, updated_at: new Date() });
      if (couponCodes) await replaceCouponCodes(trx, campaign, couponCodes);
    });
    if (input.destination_url !== undefined) this.deps.onChange(id);
    return this.get(workspaceId, id);
  }

  /**
   * Archiving keeps the campaign and its conversions; its links answer 410 from now on, and its coupon codes are
   * released: sales using them are no longer credited to it, and another campaign may take them.
   */
  async archive(workspaceId: string, id: string): Promise<CampaignView> {
    const campaign = await findCampaign(workspaceId, id);
    if (!campaign.archived_at) {
      await Campaign.transaction(async (trx) => {
        await campaign.$query(trx).patch({ archived_at: new Date(), updated_at: new Date() });
        await CouponCode.query(trx).delete().where({ campaign_id: campaign.id });
      });
      this.deps.onChange(id);
    }
    return this.get(workspaceId, id);
  }
}

/** The campaign if it belongs to this workspace; another workspace's campaign is simply not found. */
export async function findCampaign(workspaceId: string, id: string, trx?: Knex.Transaction): Promise<Campaign> {
  const campaign = await Campaign.query(trx)
    .findOne({ id, workspace_id: workspaceId })
    .withGraphFetched('coupon_codes');
  if (!campaign) throw notFound('campaign');
  return campaign;
}

async function replaceCouponCodes(trx: Knex.Transaction, campaign: Campaign, codes: string[]): Promise<void> {
  const upper = codes.map((code) => code.toUpperCase());
  const repeated = codes.find((_, i) => upper.indexOf(upper[i]) !== i);
  if (repeated) {
    throw validationFailed('coupon_codes lists the same code twice.', [
      { pointer: '/coupon_codes', message: `"${repeated}" appears more than once (codes ignore case)` },
    ]);
  }
  await CouponCode.query(trx).delete().where({ campaign_id: campaign.id });
  if (codes.length === 0) return;
  const taken = await CouponCode.query(trx)
    .where({ workspace_id: campaign.workspace_id })
    .whereIn(trx.raw('upper(code)'), upper)
    .first();
  if (taken) throw conflict(`The coupon code "${taken.code}" already belongs to another campaign in this workspace.`);
  await CouponCode.query(trx).insert(
    codes.map((code, position) => ({ workspace_id: campaign.workspace_id, campaign_id: campaign.id, code, position })),
  );
}

async function assertLinksKeepADestination(trx: Knex.Transaction, campaignId: string): Promise<void> {
  const dependent = await trx('links').where({ campaign_id: campaignId }).whereNull('destination_url').first('id');
  if (dependent) {
    throw conflict('Links of this campaign use its destination_url; give them their own before removing it.');
  }
}
