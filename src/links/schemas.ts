import { Type, type Static } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { CampaignId, DestinationUrl } from '../campaigns/schemas.js';

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

export const LinkParams = Type.Object({ id: Type.String({ pattern: idPattern('lnk'), description: 'A link id (lnk_...)' }) });
export type LinkParams = Static<typeof LinkParams>;

export const ListLinksQuery = Type.Object({ campaign_id: Type.Optional(CampaignId) });
export type ListLinksQuery = Static<typeof ListLinksQuery>;
