import { Type, type TSchema } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { OUTCOMES } from './logs.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Outcome = Type.Union(OUTCOMES.map((outcome) => Type.Literal(outcome)));

/** A webhook log row as the API answers it (listLogs). */
export const WebhookLogView = Type.Object(
  {
    id: Type.String({ pattern: idPattern('whl') }),
    provider_event_id: Nullable(Type.String()),
    event_type: Nullable(Type.String()),
    outcome: Outcome,
    detail: Nullable(Type.String()),
    conversion_id: Nullable(Type.String({ pattern: idPattern('conv') })),
    received_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

/** What a provider is told of a delivery that was logged and handled: it may stop sending it. */
export const WebhookReceipt = Type.Object(
  { received: Type.Literal(true), outcome: Outcome },
  { additionalProperties: false },
);

/** A delivery's body is never parsed before its signature is checked on these very bytes. */
export const SIGNED_EVENT = {
  mediaType: 'application/json',
  description: "The provider's event exactly as it signed it (Stripe-Signature, or Standard Webhooks headers for Polar): verified on these raw bytes with the provider's SDK, never re-serialised",
};
