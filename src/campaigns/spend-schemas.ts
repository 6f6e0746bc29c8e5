import { Type, type Static } from '@sinclair/typebox';

export const SpendEntry = Type.Object(
  {
    date: Type.String({ format: 'date', description: 'A day in the workspace\'s time zone, YYYY-MM-DD' }),
    amount: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Integer minor units; 0 removes the day\'s spend in that currency' }),
    currency: Type.String({ format: 'currency' }),
  },
  { additionalProperties: false },
);

export const SpendBody = Type.Array(SpendEntry, { maxItems: 1_000 });
export type SpendBody = Static<typeof SpendBody>;

export const SpendQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
export type SpendQuery = Static<typeof SpendQuery>;
