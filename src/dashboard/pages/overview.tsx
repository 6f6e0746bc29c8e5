import type { FormErrors, PageContext } from '../page-context.js';
import type { Report, ReportRow } from '../../reports/reports.js';
import { Layout } from '../components/layout.js';
import { ErrorSummary, MoneyList, TableWrap, toMajor } from '../components/ui.js';

import type { Interval } from '../../reports/range.js';

export interface OverviewQuery {
  interval?: Interval;
  from?: string;
  to?: string;
  model?: 'last_click' | 'first_click';
}

interface OverviewProps {
  page: PageContext;
  query: OverviewQuery;
  /** The range by campaign: the table and the totals. */
  campaigns: Report;
  /** The same range by day (or week, month): the chart. */
  series: Report;
  /** What a workspace without attributed sales has done of its first steps (null once it has them). */
  setup: { campaign: boolean; link: boolean; source: string | null } | null;
  errors: FormErrors | null;
  intervals: readonly string[];
  models: readonly string[];
}

const PRESETS: Record<string, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', mtd: 'Month to date', qtd: 'Quarter to date', ytd: 'Year to date', all: 'All time' };
const MODEL_NAMES: Record<string, string> = { last_click: 'Last click', first_click: 'First click' };

function href(query: OverviewQuery, change: OverviewQuery, path = '/app'): string {
  const merged = { ...query, ...change };
  if (change.interval) {
    delete merged.from;
    delete merged.to;
  }
  const params = new URLSearchParams(Object.entries(merged).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(2)}%`);
const roiText = (roi: Record<string, number> | undefined) =>
  Object.entries(roi ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([currency, value]) => `${value >= 0 ? '+' : ''}${Math.round(value * 100)}% (${currency})`).join(', ') || '–';

/** The chart's data: bucket starts in seconds, clicks, and net in the currency with the most net. */
function chartData(series: Report) {
  const totals = series.totals.net;
  const currency = Object.entries(totals).sort(([, a], [, b]) => b - a)[0]?.[0] ?? 'USD';
  return {
    x: series.rows.map((row) => Math.floor(new Date(`${row.key!.length === 7 ? `${row.key}-01` : row.key}T00:00:00Z`).getTime() / 1000)),
    clicks: series.rows.map((row) => row.clicks ?? 0),
    net: series.rows.map((row) => toMajor(row.net[currency] ?? 0, currency)),
    currency,
    hourly: false,
  };
}

function Stats({ totals }: { totals: ReportRow }) {
  return (
    <dl class="stats">
      <div class="stat"><dt>Clicks</dt><dd>{(totals.clicks ?? 0).toLocaleString('en-US')}</dd></div>
      <div class="stat"><dt>Conversions</dt><dd>{totals.conversions.toLocaleString('en-US')}</dd></div>
      <div class="stat"><dt>Conversion rate</dt><dd>{percent(totals.conversion_rate)}</dd></div>
      <div class="stat"><dt>Revenue</dt><dd><MoneyList money={totals.revenue} /></dd></div>
      <div class="stat"><dt>Net revenue</dt><dd><MoneyList money={totals.net} /></dd></div>
      <div class="stat"><dt>Spend</dt><dd><MoneyList money={totals.spend} /></dd></div>
      <div class="stat"><dt>ROI</dt><dd>{roiText(totals.roi)}</dd></div>
    </dl>
  );
}

function FirstSteps({ setup }: { setup: NonNullable<OverviewProps['setup']> }) {
  const done = (yes: boolean) => (yes ? ' (done)' : '');
  return (
    <section class="card empty" aria-labelledby="first-steps">
      <h2 id="first-steps">Get started in three steps</h2>
      <p class="muted">Synaptyx shows what each campaign earned once a click on its link turns into a sale.</p>
      <ol class="steps">
        <li>
          <a href="/app/campaigns">Create a campaign and a tracked link</a>{done(setup.campaign && setup.link)}: share the link wherever you promote.
        </li>
        <li>
          <a href="/app/sources">Connect a revenue source</a>{done(Boolean(setup.source))}: Stripe or Polar, in one click or with an API key.
        </li>
        <li>
          <a href={setup.source ? `/app/sources/${setup.source}` : '/app/sources'}>Install the snippet on your site</a>: one script tag carries the click into your checkout.
        </li>
      </ol>
    </section>
  );
}

export function OverviewPage({ page, query, campaigns, series, setup, errors, intervals, models }: OverviewProps) {
  const current = query.from || query.to ? null : (query.interval ?? '30d');
  const model = campaigns.model;
  const empty = setup !== null && (!setup.campaign || !setup.link || !setup.source);
  const fromDay = campaigns.from.slice(0, 10);
  return (
    <Layout page={page} title="Overview">
      <div class="page-head">
        <h1>Overview</h1>
        <a class="button secondary small" href={href(query, {}, '/app/reports.csv')} download>Download CSV</a>
      </div>
      <ErrorSummary errors={errors} />
      {empty && <FirstSteps setup={setup!} />}
      <div class="toolbar">
        <nav aria-label="Date range">
          <ul class="presets">
            {intervals.map((interval) => (
              <li><a href={href(query, { interval: interval as Interval })} aria-current={interval === current ? 'true' : undefined}>{PRESETS[interval] ?? interval}</a></li>
            ))}
          </ul>
        </nav>
        <form method="get" action="/app" class="inline" aria-label="Custom range">
          <div class="field"><label for="range-from">From</label><input id="range-from" type="date" name="from" value={query.from ?? ''} /></div>
          <div class="field"><label for="range-to">To</label><input id="range-to" type="date" name="to" value={query.to ?? ''} /></div>
          <input type="hidden" name="model" value={model} />
          <button type="submit" class="secondary">Apply</button>
        </form>
        <nav aria-label="Attribution model">
          <ul class="presets">
            {models.map((name) => (
              <li><a href={href(query, { model: name as OverviewQuery['model'] })} aria-current={name === model ? 'true' : undefined}>{MODEL_NAMES[name]}</a></li>
            ))}
          </ul>
        </nav>
      </div>
      <p class="muted small">
        {fromDay} to {campaigns.to.slice(0, 10)} ({campaigns.timezone}), credited to the {MODEL_NAMES[model].toLowerCase()}. Net is revenue minus refunds and lost disputes.
      </p>
      <Stats totals={campaigns.totals} />
      <figure class="chart" aria-label="Clicks and net revenue over time">
        <p class="legend-note">Clicks and net revenue per {series.group_by}</p>
        <div data-chart={JSON.stringify(chartData(series))} />
        <figcaption class="muted small">
          {series.rows.length} {series.group_by}s; the table below holds the exact figures per campaign.
        </figcaption>
      </figure>
      <h2 id="campaign-roi">ROI by campaign</h2>
      <TableWrap label="ROI by campaign">
        <table aria-labelledby="campaign-roi">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col" class="num">Clicks</th>
              <th scope="col" class="num">Conversions</th>
              <th scope="col" class="num">Conv. rate</th>
              <th scope="col" class="num">Revenue</th>
              <th scope="col" class="num">Refunded</th>
              <th scope="col" class="num">Net</th>
              <th scope="col" class="num">Spend</th>
              <th scope="col" class="num">ROI</th>
              <th scope="col" class="num">EPC</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.rows.length === 0 && (
              <tr><td colSpan={10} class="muted">No clicks or sales in this range yet.</td></tr>
            )}
            {campaigns.rows.map((row) => (
              <tr>
                <th scope="row">{row.key ? <a href={`/app/campaigns/${row.key}`}>{row.label}</a> : row.label}</th>
                <CampaignCells row={row} />
              </tr>
            ))}
          </tbody>
          {campaigns.rows.length > 0 && (
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <CampaignCells row={campaigns.totals} />
              </tr>
            </tfoot>
          )}
        </table>
      </TableWrap>
    </Layout>
  );
}

function CampaignCells({ row }: { row: ReportRow }) {
  return (
    <>
      <td class="num">{(row.clicks ?? 0).toLocaleString('en-US')}</td>
      <td class="num">{row.conversions.toLocaleString('en-US')}</td>
      <td class="num">{percent(row.conversion_rate)}</td>
      <td class="num"><MoneyList money={row.revenue} /></td>
      <td class="num"><MoneyList money={mergeRefunds(row)} /></td>
      <td class="num"><MoneyList money={row.net} /></td>
      <td class="num"><MoneyList money={row.spend} /></td>
      <td class="num">{roiText(row.roi)}</td>
      <td class="num"><MoneyList money={row.epc} /></td>
    </>
  );
}

/** Refunds and lost disputes: what came off revenue to make net. */
function mergeRefunds(row: ReportRow): Record<string, number> {
  const merged: Record<string, number> = { ...row.refunded };
  for (const [currency, amount] of Object.entries(row.disputed)) merged[currency] = (merged[currency] ?? 0) + amount;
  return Object.fromEntries(Object.entries(merged).filter(([, amount]) => amount > 0));
}
