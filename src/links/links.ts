import { randomBytes } from 'node:crypto';
import { newId } from '../ids.js';
import { conflict, notFound, validationFailed } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';
import { paginate, type Page, type PageQuery } from '../db/pagination.js';
import { findCampaign } from '../campaigns/campaigns.js';
import type { Campaign } from '../campaigns/models.js';
import { Link } from './models.js';
import type { LinkCache } from './link-cache.js';
import type { LinkOwners } from './link-owners.js';
import type { CreateLinkBody, ListLinksQuery, UpdateLinkBody } from './schemas.js';

export interface LinkView {
  id: string;
  slug: string;
  url: string;
  destination_url: string | null;
  campaign_id: string;
  clicks: number;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export class Links {
  constructor(private readonly deps: { cache: LinkCache; owners: LinkOwners; publicUrl: string }) {}

  present(link: Link): LinkView {
    return {
      id: link.id,
      slug: link.slug,
      url: `${this.deps.publicUrl}/c/${link.slug}`,
      destination_url: link.destination_url ?? link.campaign?.destination_url ?? null,
      campaign_id: link.campaign_id,
      clicks: link.clicks ?? 0,
      created_at: link.created_at.toISOString(),
      updated_at: link.updated_at.toISOString(),
      archived_at: link.archived_at?.toISOString() ?? null,
    };
  }

  async create(workspaceId: string, input: CreateLinkBody): Promise<LinkView> {
    const campaign = await usableCampaign(workspaceId, input.campaign_id);
    requireDestination(input.destination_url ?? null, campaign);
    const id = newId('lnk');
    await insertWithSlug(input.slug, (slug) =>
      Link.query().insert({
        id,
        workspace_id: workspaceId,
        campaign_id: campaign.id,
        slug,
        destination_url: input.destination_url ?? null,
      }),
    );
    const link = await this.find(workspaceId, id);
    this.deps.cache.forgetSlug(link.slug);
    return this.present(link);
  }

  async list(workspaceId: string, filter: ListLinksQuery & PageQuery): Promise<Page<LinkView>> {
    const query = Link.query().modify('withClicks').withGraphFetched('campaign').where('links.workspace_id', workspaceId);
    if (filter.campaign_id) query.where('links.campaign_id', filter.campaign_id);
    const { rows, nextCursor } = await paginate(query, filter);
    return { data: rows.map((link) => this.present(link)), next_cursor: nextCursor };
  }

  /** The slugs of these links of the workspace, by id (without counting clicks): labels for a list of conversions. */
  async slugsOf(workspaceId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await Link.query().where('workspace_id', workspaceId).whereIn('id', [...new Set(ids)]).select('id', 'slug');
    return new Map(rows.map((row) => [row.id, row.slug]));
  }

  async get(workspaceId: string, id: string): Promise<LinkView> {
    return this.present(await this.find(workspaceId, id));
  }

  async update(workspaceId: string, id: string, input: UpdateLinkBody): Promise<LinkView> {
    const link = await this.find(workspaceId, id);
    const campaign = input.campaign_id ? await usableCampaign(workspaceId, input.campaign_id) : link.campaign!;
    const destination = input.destination_url === undefined ? link.destination_url : input.destination_url;
    requireDestination(destination, campaign);
    const previousSlug = link.slug; // patch() below updates the instance
    try {
      await link.$query().patch({ ...input, updated_at: new Date() });
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(input.slug!);
      throw error;
    }
    this.deps.cache.forgetSlug(previousSlug);
    if (input.slug) this.deps.cache.forgetSlug(input.slug);
    if (input.campaign_id) this.deps.owners.forget(id);
    return this.get(workspaceId, id);
  }

  /** Archiving keeps the link's clicks and conversions; its slug answers 410 from now on. */
  async archive(workspaceId: string, id: string): Promise<LinkView> {
    const link = await this.find(workspaceId, id);
    if (!link.archived_at) {
      await link.$query().patch({ archived_at: new Date(), updated_at: new Date() });
      this.deps.cache.forgetSlug(link.slug);
    }
    return this.get(workspaceId, id);
  }

  private async find(workspaceId: string, id: string): Promise<Link> {
    const link = await Link.query()
      .modify('withClicks')
      .withGraphFetched('campaign')
      .findOne({ 'links.id': id, 'links.workspace_id': workspaceId });
    if (!link) throw notFound('link');
    return link;
  }
}

/** A campaign of this workspace that can still take links (another workspace's is not found). */
async function usableCampaign(workspaceId: string, campaignId: string): Promise<Campaign> {
  const campaign = await findCampaign(workspaceId, campaignId);
  if (campaign.archived_at) throw conflict('That campaign is archived; its links no longer redirect.');
  return campaign;
}

function requireDestination(destination: string | null, campaign: Campaign): void {
  if (!destination && !campaign.destination_url) {
    throw validationFailed('The link needs a destination_url because its campaign has none.', [
      { pointer: '/destination_url', message: 'is required when the campaign has no destination_url' },
    ]);
  }
}

const slugTaken = (slug: string) => conflict(`The slug "${slug}" is already taken.`);

/** Inserts with the requested slug (409 if taken) or a generated one (retried on the rare collision). */
async function insertWithSlug(requested: string | undefined, insert: (slug: string) => PromiseLike<unknown>) {
  for (let attempt = 0; ; attempt++) {
    const slug = requested ?? randomBytes(6).toString('base64url');
    try {
      return await insert(slug);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (requested) throw slugTaken(requested);
      if (attempt === 4) throw error;
    }
  }
}
