import { Type, type Static } from '@sinclair/typebox';
import { idPattern } from '../ids.js';

export const CampaignId = Type.String({ pattern: idPattern('cmp'), description: 'A campaign id (cmp_...)' });
export const DestinationUrl = Type.String({
  pattern: '^https?://[^\\s/?#]+[^\\s]*$',
  maxLength: 2048,
  description: 'An absolute http(s) URL',
});
const CouponCodes = Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), { maxItems: 100 });

export const CreateCampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    coupon_codes: Type.Optional(CouponCodes),
    destination_url: Type.Optional(Type.Union([DestinationUrl, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateCampaignBody = Static<typeof CreateCampaignBody>;

export const UpdateCampaignBody = Type.Partial(CreateCampaignBody, { additionalProperties: false, minProperties: 1 });
export type UpdateCampaignBody = Static<typeof UpdateCampaignBody>;

export const CampaignParams = Type.Object({ id: CampaignId });
export type CampaignParams = Static<typeof CampaignParams>;
