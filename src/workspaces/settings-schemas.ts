import { Type, type Static } from '@sinclair/typebox';

export const UpdateWorkspaceBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timezone: Type.Optional(Type.String({ format: 'time-zone', description: 'IANA name, e.g. Europe/Bucharest' })),
    attribution_model: Type.Optional(Type.Union([Type.Literal('last_click'), Type.Literal('first_click')])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWorkspaceBody = Static<typeof UpdateWorkspaceBody>;
