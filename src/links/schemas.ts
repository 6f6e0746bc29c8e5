import { Type, type Static } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { CampaignId, DestinationUrl, Nullable, Timestamp } from '../campaigns/schemas.js';

export const Slug = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Letters, digits, - and _' });

export const CreateLinkBody = Type.Object(
  {
    campaign_id: CampaignId,
    destination_url: Type.Optional(DestinationUrl),
    slug: Type.Optional(Slug),
  },
  { additionalProperties: false },
);
export type CreateLinkBody = Static<typeof CreateLinkBody>;

export const UpdateLinkBody = Type.Object(
  {
    campaign_id: Type.Optional(CampaignId),
    destination_url: Type.Optional(Type.Union([DestinationUrl, Type.Null()])),
    slug: Type.Optional(Slug),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLinkBody = Static<typeof UpdateLinkBody>;

export const LinkId = Type.String({ pattern: idPattern('lnk'), description: 'A link id (lnk_...)' });
export const LinkParams = Type.Object({ id: LinkId });
export type LinkParams = Static<typeof LinkParams>;

export const ListLinksQuery = Type.Object({ campaign_id: Type.Optional(CampaignId) });
export type ListLinksQuery = Static<typeof ListLinksQuery>;

/** A tracked link as the API answers it (Links.present). */
export const LinkView = Type.Object(
  {
    id: LinkId,
    slug: Slug,
    url: Type.String({ description: 'The public tracked link, <SYX_PUBLIC_URL>/c/<slug>' }),
    destination_url: Nullable(Type.String({ description: "Its own, else its campaign's" })),
    campaign_id: CampaignId,
    clicks: Type.Integer({ minimum: 0, description: 'Human clicks recorded so far' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    archived_at: Nullable(Timestamp),
  },
  { additionalProperties: false },
);
