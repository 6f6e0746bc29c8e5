import { Type, type Static } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { CampaignId } from '../campaigns/schemas.js';
import { CLICK_ID_PATTERN } from '../clicks/click-id.js';

export const CreateConversionBody = Type.Object(
  {
    click_id: Type.String({ pattern: CLICK_ID_PATTERN }),
    order_id: Type.String({ minLength: 1, maxLength: 200 }),
    amount: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Integer minor units: 14999 = 149.99 USD' }),
    currency: Type.String({ format: 'currency', description: 'ISO 4217, e.g. USD' }),
    goal: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,50}$' })),
  },
  { additionalProperties: false },
);
export type CreateConversionBody = Static<typeof CreateConversionBody>;

export const ConversionFilters = {
  campaign_id: Type.Optional(CampaignId),
  link_id: Type.Optional(Type.String({ pattern: idPattern('lnk') })),
  source_id: Type.Optional(Type.String({ pattern: idPattern('src') })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
};
