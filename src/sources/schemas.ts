import { Type, type Static } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { PROVIDERS } from '../providers/provider.js';
import { MAX_URL_LENGTH } from '../urls.js';

const ProviderField = Type.Union(PROVIDERS.map((provider) => Type.Literal(provider)));

export const SourceParams = Type.Object({ id: Type.String({ pattern: idPattern('src'), description: 'A source id (src_...)' }) });
export type SourceParams = Static<typeof SourceParams>;

export const CreateSourceBody = Type.Object(
  {
    provider: ProviderField,
    mode: Type.Literal('api_key'),
    api_key: Type.String({ minLength: 8, maxLength: 500 }),
    webhook_secret: Type.String({ minLength: 8, maxLength: 500 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type CreateSourceBody = Static<typeof CreateSourceBody>;

export const EventMappingSchema = Type.Object(
  {
    event_type: Type.String({ pattern: '^[a-z_]+(\\.[a-z_]+)+$', maxLength: 100 }),
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
