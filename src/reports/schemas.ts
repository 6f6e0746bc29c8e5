import { Type, type Static } from '@sinclair/typebox';
import { idPattern } from '../ids.js';
import { INTERVALS } from './range.js';
import { GROUPS, MODELS } from './reports.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

/** A day (`2026-11-01`, in the report's time zone) or an instant (`2026-11-01T06:00:00Z`). */
const DayOrInstant = Type.String({ maxLength: 40, description: 'YYYY-MM-DD (a whole local day, both ends included) or an ISO 8601 instant (to excluded)' });

export const ReportQuery = Type.Object(
  {
    group_by: Type.Optional(literals(GROUPS)),
    from: Type.Optional(DayOrInstant),
    to: Type.Optional(DayOrInstant),
    interval: Type.Optional(literals(INTERVALS)),
    timezone: Type.Optional(Type.String({ format: 'time-zone', description: 'IANA name; default the workspace\'s' })),
    model: Type.Optional(literals(MODELS)),
    campaign_id: Type.Optional(Type.String({ pattern: idPattern('cmp') })),
    link_id: Type.Optional(Type.String({ pattern: idPattern('lnk') })),
    source_id: Type.Optional(Type.String({ pattern: idPattern('src') })),
    currency: Type.Optional(Type.String({ format: 'currency' })),
    format: Type.Optional(literals(['json', 'csv'] as const)),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;
