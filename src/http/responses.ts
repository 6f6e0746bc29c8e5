import { Kind, Type, type TSchema } from '@sinclair/typebox';

/** The one error shape of the API: every JSON error answer, from any route or middleware, is this. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'snake_case and stable: scripts branch on it' }),
        message: Type.String({ description: 'One sentence a person understands' }),
        details: Type.Optional(
          Type.Array(
            Type.Object(
              {
                in: Type.Optional(Type.String({ description: 'path, query or body' })),
                pointer: Type.String({ description: 'JSON pointer to the field, "" for the whole input' }),
                message: Type.String(),
              },
              { additionalProperties: false },
            ),
            { maxItems: 20 },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** A list's page: newest first; `next_cursor` is the `cursor` of the next page, null on the last. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false });
}

/** An answer that is not (only) JSON: its bodies by media type; none for a body-less answer such as a redirect. */
export interface ResponseDoc {
  description: string;
  content?: Record<string, TSchema>;
}

/** What a route answers with a status: a TypeBox schema is a JSON body; a ResponseDoc says anything else. */
export type ResponseSpec = TSchema | ResponseDoc;

export const isSchema = (spec: ResponseSpec): spec is TSchema => Kind in spec;

/** A body of another media type than JSON (an HTML page, a script, CSV). */
export const textBody = (mediaType: string, description: string): ResponseDoc => ({
  description,
  content: { [mediaType]: Type.String() },
});

/** An answer without a body (a redirect, a 304). */
export const noBody = (description: string): ResponseDoc => ({ description });
