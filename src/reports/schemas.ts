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

// What a report answers (src/reports/reports.ts presents it).
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const Money = Type.Record(Currency, Type.Integer(), { additionalProperties: false, description: 'Per currency (never summed across them), integer minor units' });

export const ReportRowView = Type.Object(
  {
    key: Type.Union([Type.String(), Type.Null()], { description: 'The group: an id, a day, a country...; null for the total' }),
    label: Type.String(),
    clicks: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Human clicks by click time; null where clicks cannot be split (by source)' }),
    conversions: Type.Integer({ minimum: 0 }),
    revenue: Money,
    refunded: Money,
    disputed: Money,
    net: Money,
    spend: Type.Optional(Money),
    roi: Type.Optional(Type.Record(Currency, Type.Number(), { additionalProperties: false, description: '(net − spend) / spend, 4 decimals, where spend > 0' })),
    conversion_rate: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'conversions / clicks, 4 decimals; null without clicks' }),
    epc: Money,
    aov: Money,
  },
  { additionalProperties: false },
);

export const ReportView = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    timezone: Type.String(),
    model: literals(MODELS),
    group_by: literals(GROUPS),
    rows: Type.Array(ReportRowView),
    totals: ReportRowView,
  },
  { additionalProperties: false },
);
