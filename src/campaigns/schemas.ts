import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { MAX_URL_LENGTH } from '../urls.js';

export const CampaignId = Type.String({ pattern: idPattern('cmp'), description: 'A campaign id (cmp_...)' });
export const DestinationUrl = Type.String({ format: 'http-url', maxLength: MAX_URL_LENGTH, description: 'An absolute http(s) URL' });
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

/** An instant as the API writes it: ISO 8601, UTC. */
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A campaign as the API answers it (presentCampaign). */
export const CampaignView = Type.Object(
  {
    id: CampaignId,
    name: Type.String(),
    coupon_codes: Type.Array(Type.String(), { description: 'In the order given; empty once archived (archiving releases them)' }),
    destination_url: Nullable(Type.String({ description: 'Where its links go unless they have their own' })),
    created_at: Timestamp,
    updated_at: Timestamp,
    archived_at: Nullable(Timestamp),
  },
  { additionalProperties: false },
);

/** A campaign's spend as the API answers it (CampaignSpend), oldest day first. */
export const CampaignSpendView = Type.Array(
  Type.Object(
    {
      date: Type.String({ format: 'date', description: "A day in the workspace's time zone" }),
      amount: Type.Integer({ minimum: 1, description: 'Integer minor units' }),
      currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
    },
    { additionalProperties: false },
  ),
);
