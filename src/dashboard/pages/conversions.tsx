import type { FormErrors, PageContext } from '../page-context.js';
import type { ConversionView } from '../../conversions/conversions.js';
import { Layout } from '../components/layout.js';
import { Badge, ErrorSummary, Field, formatDateTime, formatMoney, Select, TableWrap } from '../components/ui.js';

/** The filter form as typed: ids from the selects, days as `YYYY-MM-DD` in the workspace's time zone. */
export interface ConversionFilterValues {
  campaign_id: string;
  source_id: string;
  from: string;
  to: string;
}

interface ConversionsProps {
  page: PageContext;
  conversions: ConversionView[];
  filters: ConversionFilterValues;
  errors: FormErrors | null;
  campaigns: { id: string; name: string; archived: boolean }[];
  sources: { id: string; name: string }[];
  /** Slugs of the links the conversions name. */
  linkSlugs: Map<string, string>;
  timezone: string;
  nextPage: string | null;
  /** Set when this is not the first page. */
  firstPage: string | null;
}

const ATTRIBUTION: Record<string, string> = {
  metadata: 'Click id in checkout',
  client_reference_id: 'Click id as client reference',
  customer: 'Returning customer',
  coupon: 'Coupon code',
  server: 'Server to server',
};

const Amount = ({ minor, currency }: { minor: number; currency: string }) => (minor === 0 ? <span class="muted">–</span> : <>{formatMoney(minor, currency)}</>);

/** `/app/conversions`: sales Synaptyx recorded, newest first, with refunds and disputes; filterable, a page at a time. */
export function ConversionsPage(props: ConversionsProps) {
  const { page, conversions, filters, errors, nextPage, firstPage } = props;
  const filtered = Object.values(filters).some(Boolean);
  return (
    <Layout page={page} title="Conversions">
      <div class="page-head">
        <h1>Conversions</h1>
      </div>
      <ErrorSummary errors={errors} />
      <Filters {...props} />
      {conversions.length === 0 && !filtered && !firstPage ? (
        <section class="card empty" aria-labelledby="no-conversions">
          <h2 id="no-conversions">No conversions yet</h2>
          <p>A conversion is a sale credited to one of your campaigns: a visitor clicked its link (or used its coupon code) and then paid.</p>
          <ol class="steps">
            <li><a href="/app/campaigns">Create a campaign and a link</a>, and share the link.</li>
            <li><a href="/app/sources">Connect a revenue source</a> (Stripe or Polar) and install the snippet on your site.</li>
            <li>Sales then appear here as your provider reports them, with refunds and disputes as they happen.</li>
          </ol>
        </section>
      ) : (
        <ConversionTable {...props} filtered={filtered} />
      )}
      {(nextPage || firstPage) && (
        <nav aria-label="Pages of conversions">
          <ul class="presets">
            {firstPage && <li><a href={firstPage}>First page</a></li>}
            {nextPage && <li><a href={nextPage} rel="next">Next page</a></li>}
          </ul>
        </nav>
      )}
    </Layout>
  );
}

function Filters({ filters, errors, campaigns, sources }: ConversionsProps) {
  return (
    <form method="get" action="/app/conversions" class="inline card" aria-label="Filter conversions">
      <Select label="Campaign" name="campaign_id" value={filters.campaign_id} options={[{ value: '', label: 'All campaigns' }, ...campaigns.map((campaign) => ({ value: campaign.id, label: campaign.archived ? `${campaign.name} (archived)` : campaign.name }))]} />
      <Select label="Source" name="source_id" value={filters.source_id} options={[{ value: '', label: 'All sources' }, ...sources.map((source) => ({ value: source.id, label: source.name }))]} />
      <Field label="From" name="from" type="date" value={filters.from} errors={errors} />
      <Field label="To" name="to" type="date" value={filters.to} errors={errors} />
      <button type="submit" class="secondary">Filter</button>
      <a class="button secondary" href="/app/conversions">Clear filters</a>
    </form>
  );
}

function ConversionTable({ conversions, campaigns, linkSlugs, timezone, filtered }: ConversionsProps & { filtered: boolean }) {
  const names = new Map(campaigns.map((campaign) => [campaign.id, campaign.name]));
  return (
    <>
      <p class="muted small">Newest first. Times and the From and To days are in {timezone}. Net is the amount minus refunds and lost disputes.</p>
      <TableWrap label="Conversions">
        <table>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Amount</th>
              <th scope="col" class="num">Refunded</th>
              <th scope="col" class="num">Disputed</th>
              <th scope="col" class="num">Net</th>
              <th scope="col">Campaign</th>
              <th scope="col">Link</th>
              <th scope="col">Attribution</th>
            </tr>
          </thead>
          <tbody>
            {conversions.length === 0 && (
              <tr><td colSpan={10} class="muted">{filtered ? 'No conversions match these filters.' : 'No more conversions.'}</td></tr>
            )}
            {conversions.map((conversion) => (
              <tr>
                <th scope="row"><code>{conversion.provider_order_id}</code></th>
                <td class="nowrap">{formatDateTime(conversion.created_at, timezone)}</td>
                <td><Badge value={conversion.status} /></td>
                <td class="num">{formatMoney(conversion.amount, conversion.currency)}</td>
                <td class="num"><Amount minor={conversion.refunded_amount} currency={conversion.currency} /></td>
                <td class="num"><Amount minor={conversion.disputed_amount} currency={conversion.currency} /></td>
                <td class="num">{formatMoney(conversion.net_amount, conversion.currency)}</td>
                <td class="wide">{conversion.campaign_id ? <a href={`/app/campaigns/${conversion.campaign_id}`}>{names.get(conversion.campaign_id) ?? conversion.campaign_id}</a> : <span class="muted">None</span>}</td>
                <td class="nowrap">{conversion.link_id ? <code>{linkSlugs.get(conversion.link_id) ?? conversion.link_id}</code> : <span class="muted">–</span>}</td>
                <td>{conversion.attribution ? ATTRIBUTION[conversion.attribution] ?? conversion.attribution : <span class="muted">Unattributed</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
