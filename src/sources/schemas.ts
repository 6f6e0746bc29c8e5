import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { PROVIDERS } from '../providers/provider.js';
import { MAX_URL_LENGTH } from '../urls.js';

const ProviderField = Type.Union(PROVIDERS.map((provider) => Type.Literal(provider)));

export const SourceId = Type.String({ pattern: idPattern('src'), description: 'A source id (src_...)' });
export const SourceParams = Type.Object({ id: SourceId });
export type SourceParams = Static<typeof SourceParams>;

export const CreateSourceBody = Type.Object(
  {
    provider: ProviderField,
    mode: Type.Literal('api_key'),
    api_key: Type.String({ minLength: 8, maxLength: 500 }),
    webhook_secret: Type.Optional(
      Type.String({
        minLength: 6,
        maxLength: 500,
        description: 'The signing secret of a webhook endpoint the merchant made. Without it (Polar, Lemon Squeezy, Paddle) Synaptyx checks the key and creates the endpoint itself',
      }),
    ),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type CreateSourceBody = Static<typeof CreateSourceBody>;

export const EventMappingSchema = Type.Object(
  {
    // Dotted (`checkout.session.completed`) or not (Lemon Squeezy's `order_created`).
    event_type: Type.String({ pattern: '^[a-z_]+(\\.[a-z_]+)*$', maxLength: 100 }),
    action: Type.Union([Type.Literal('conversion'), Type.Literal('ignore')]),
    goal: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,50}$' })),
  },
  { additionalProperties: false },
);
export const EventMappingsBody = Type.Array(EventMappingSchema, { maxItems: 100 });
export type EventMappingsBody = Static<typeof EventMappingsBody>;

export const OAuthProviderParams = Type.Object({ provider: ProviderField });
export type OAuthProviderParams = Static<typeof OAuthProviderParams>;

export const StartOAuthBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The new source’s name (default: the account’s)' })),
    return_url: Type.Optional(Type.String({ format: 'http-url', maxLength: MAX_URL_LENGTH, description: 'Where the browser goes once connected; ?source_id=&status= are added' })),
  },
  { additionalProperties: false },
);
export type StartOAuthBody = Static<typeof StartOAuthBody>;

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** What the jobs last learned of a source, and why its status is what it is (health.ts). */
const SourceHealth = Type.Object(
  {
    reason: Nullable(Type.String({ description: 'Why the status is not active, in a sentence a merchant can act on' })),
    last_event_at: Nullable(Timestamp),
    last_synced_at: Nullable(Timestamp),
    last_error: Nullable(Type.Object({ message: Type.String(), at: Timestamp }, { additionalProperties: false })),
    token_expires_at: Nullable(Timestamp),
  },
  { additionalProperties: false },
);

/** A source as the API answers it (Sources.present): never a secret. */
export const SourceView = Type.Object(
  {
    id: SourceId,
    provider: ProviderField,
    mode: Type.Union([Type.Literal('api_key'), Type.Literal('oauth')]),
    name: Nullable(Type.String()),
    status: Type.Union((['active', 'failing', 'expiring', 'disconnected'] as const).map((status) => Type.Literal(status))),
    account_id: Nullable(Type.String()),
    test_mode: Type.Boolean({ description: "Connected with a test-mode key: the provider's test-mode events count for it, and are ignored for any other source" }),
    webhook_url: Type.String({ description: 'Where the provider delivers its events' }),
    snippet_url: Type.String({ description: 'The attach snippet to load on every page of the merchant' }),
    last_event_at: Nullable(Timestamp),
    credentials: Type.Object(
      { api_key_last4: Type.Optional(Type.String()), expires_at: Type.Optional(Timestamp) },
      { additionalProperties: false },
    ),
    health: SourceHealth,
    created_at: Timestamp,
  },
  { additionalProperties: false },
);

/** `DELETE /api/sources/:id`: the source, disconnected, and what happened at the provider. */
export const DisconnectedSource = Type.Composite(
  [
    SourceView,
    Type.Object({
      provider_disconnect: Type.Union([
        Type.Object({ status: Type.Literal('done') }, { additionalProperties: false }),
        Type.Object({ status: Type.Literal('not_applicable'), message: Type.String() }, { additionalProperties: false }),
        Type.Object(
          { status: Type.Union([Type.Literal('refused'), Type.Literal('unreachable')]), message: Type.String() },
          { additionalProperties: false },
        ),
      ]),
    }),
  ],
  { additionalProperties: false },
);

export const EventMappings = Type.Array(EventMappingSchema, { description: 'Which provider events count as conversions, and under which goal' });

export const SnippetTag = Type.Object(
  { html: Type.String({ description: 'The <script ... async> tag to paste into every page' }) },
  { additionalProperties: false },
);

export const OAuthStart = Type.Object(
  { authorize_url: Type.String({ description: "Where the merchant's browser goes to connect" }) },
  { additionalProperties: false },
);
