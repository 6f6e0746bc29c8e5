import { stringify } from 'csv-stringify/sync';
import type { Report, ReportRow } from './reports.js';

/** The per-currency figures of a row, each one column per currency (`net_usd`...). */
const MONEY = ['revenue', 'refunded', 'disputed', 'net', 'spend', 'roi', 'epc', 'aov'] as const;

/**
 * A report as RFC 4180 CSV: a header row, the report's rows, then the totals (unless the report is the total
 * itself). Text cells that a spreadsheet would run as a formula (starting with =, +, - or @) are prefixed with
 * an apostrophe; numbers are written as numbers.
 */
export function reportCsv(report: Report): string {
  const rows = report.group_by === 'total' ? report.rows : [...report.rows, report.totals];
  const currencies = [...new Set(rows.flatMap((row) => MONEY.flatMap((metric) => Object.keys(row[metric] ?? {}))))].sort();
  const columns = MONEY.filter((metric) => rows.some((row) => row[metric] !== undefined)).flatMap((metric) =>
    currencies.map((currency) => ({ metric, currency, name: `${metric}_${currency.toLowerCase()}` })),
  );
  const header = ['key', 'label', 'clicks', 'conversions', 'conversion_rate', ...columns.map((column) => column.name)];
  const lines = rows.map((row: ReportRow) => [
    text(row === report.totals ? 'total' : row.key ?? ''),
    text(row.label),
    row.clicks ?? '',
    row.conversions,
    row.conversion_rate ?? '',
    ...columns.map(({ metric, currency }) => row[metric]?.[currency] ?? ''),
  ]);
  return stringify([header, ...lines], { record_delimiter: '\r\n' });
}

/** A text cell that cannot run as a spreadsheet formula. */
function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The download's file name: `synaptyx-<group_by>-<from>-<to>.csv`, dates only. */
export function reportFilename(report: Report): string {
  const day = (value: string) => value.slice(0, 10);
  return `synaptyx-${report.group_by}-${day(report.from)}-${day(report.to)}.csv`;
}
