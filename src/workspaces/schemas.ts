import { Type, type Static } from '@sinclair/typebox';
import { idPattern } from '../ids.js';

export const CreateWorkspaceBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type CreateWorkspaceBody = Static<typeof CreateWorkspaceBody>;

const Timestamp = Type.String({ format: 'date-time' });

/** A workspace as the API answers it (presentWorkspace). */
export const WorkspaceView = Type.Object(
  {
    id: Type.String({ pattern: idPattern('ws') }),
    name: Type.String(),
    timezone: Type.String({ description: 'IANA name that reports use for days, weeks and months' }),
    attribution_model: Type.Union([Type.Literal('last_click'), Type.Literal('first_click')], { description: 'The click a sale is credited to in reports, unless a report says otherwise' }),
    created_at: Timestamp,
  },
  { additionalProperties: false },
);

/** A new workspace and its first API key, shown this once. */
export const CreatedWorkspace = Type.Object(
  { workspace: WorkspaceView, api_key: Type.String({ pattern: '^syx_', description: 'Shown once; only its hash is stored' }) },
  { additionalProperties: false },
);
