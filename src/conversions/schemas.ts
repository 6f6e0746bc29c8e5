import { Type, type Static } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { CampaignId, Nullable, Timestamp } from '../campaigns/schemas.js';
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

const MinorUnits = Type.Integer({ minimum: 0, description: 'Integer minor units' });
const Literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

/** A conversion as the API answers it (presentConversion). */
export const ConversionView = Type.Object(
  {
    id: Type.String({ pattern: idPattern('conv') }),
    source_id: Nullable(Type.String({ pattern: idPattern('src') })),
    campaign_id: Nullable(CampaignId),
    link_id: Nullable(Type.String({ pattern: idPattern('lnk') })),
    click_id: Nullable(Type.String({ pattern: CLICK_ID_PATTERN })),
    first_click_id: Nullable(Type.String({ pattern: CLICK_ID_PATTERN, description: "The first click of the visitor's chain, or click_id" })),
    goal: Type.String(),
    provider_order_id: Type.String(),
    customer_id: Nullable(Type.String()),
    amount: MinorUnits,
    refunded_amount: MinorUnits,
    disputed_amount: MinorUnits,
    net_amount: MinorUnits,
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
    status: Literals(['paid', 'partially_refunded', 'refunded', 'disputed'] as const),
    attribution: Nullable(Literals(['metadata', 'client_reference_id', 'customer', 'coupon', 'server'] as const)),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false },
);
