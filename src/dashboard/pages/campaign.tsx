import type { FormErrors, PageContext } from '../page-context.js';
import type { CampaignView } from '../../campaigns/campaigns.js';
import type { SpendEntry } from '../../campaigns/spend.js';
import type { LinkView } from '../../links/links.js';
import type { Report, ReportRow } from '../../reports/reports.js';
import { Layout } from '../components/layout.js';
import { Badge, Csrf, ErrorSummary, Field, formatMoney, MoneyList, TableWrap } from '../components/ui.js';
import { CampaignForm, type CampaignValues } from './campaigns.js';

export interface SpendValues {
  date: string;
  amount: string;
  currency: string;
}

export interface LinkValues {
  slug: string;
  link_destination_url: string;
}

/** The form that was refused, as typed, with its problems (at most one per request). */
export interface CampaignForms {
  edit?: { values: CampaignValues; errors: FormErrors };
  spend?: { values: SpendValues; errors: FormErrors };
  link?: { values: LinkValues; errors: FormErrors };
}

interface CampaignProps {
  page: PageContext;
  campaign: CampaignView;
  links: LinkView[];
  /** More links than the table shows. */
  moreLinks: boolean;
  /** All-time numbers of the campaign by link (row key: link id), and its totals. */
  numbers: Report;
  /** The last 30 days' spend, oldest first. */
  spend: SpendEntry[];
  /** What the spend form starts with: today, in the currency last used. */
  spendDefaults: SpendValues;
  forms: CampaignForms;
}

const SECTIONS = { edit: 'settings', spend: 'spend', link: 'links' } as const;

/** `/app/campaigns/:id`: its numbers, its links (copy, create, archive), its daily spend, its settings, archive. */
export function CampaignPage(props: CampaignProps) {
  const { page, campaign, numbers, forms } = props;
  const refused = (Object.keys(SECTIONS) as (keyof CampaignForms)[]).find((name) => forms[name]);
  const csrf = page.signedIn.csrfToken;
  const editValues = forms.edit?.values ?? { name: campaign.name, destination_url: campaign.destination_url ?? '', coupon_codes: campaign.coupon_codes.join(', ') };
  return (
    <Layout page={page} title={campaign.name}>
      <p class="small"><a href="/app/campaigns">All campaigns</a></p>
      <div class="page-head">
        <h1>{campaign.name}{campaign.archived_at && <> <Badge value="archived" /></>}</h1>
      </div>
      {refused && (
        <div class="error-box" role="alert">
          <strong>{forms[refused]!.errors.message}</strong> <a href={`#${SECTIONS[refused]}`}>Go to the form</a>
        </div>
      )}
      {campaign.archived_at && (
        <p class="banner">This campaign is archived: its links answer “gone” instead of redirecting, and its coupon codes were released. Its clicks and conversions are kept.</p>
      )}
      <Totals totals={numbers.totals} />
      <p class="muted small">Since the workspace began, credited to the {numbers.model === 'first_click' ? 'first' : 'last'} click. Net is revenue minus refunds and lost disputes.</p>
      <LinksSection {...props} csrf={csrf} />
      <SpendSection {...props} csrf={csrf} />
      <section class="card" id="settings" aria-labelledby="settings-title">
        <h2 id="settings-title">Campaign settings</h2>
        <ErrorSummary errors={forms.edit?.errors} />
        <CampaignForm action={`/app/campaigns/${campaign.id}`} csrf={csrf} values={editValues} errors={forms.edit?.errors} submitLabel="Save campaign" />
      </section>
      {!campaign.archived_at && (
        <section class="card" aria-labelledby="archive-title">
          <h2 id="archive-title">Archive this campaign</h2>
          <p class="muted">Its links stop redirecting and its coupon codes are released for other campaigns. Its clicks, conversions and spend stay in your reports. You will be asked to confirm.</p>
          <a class="button secondary" href={`/app/campaigns/${campaign.id}/archive`}>Archive campaign…</a>
        </section>
      )}
    </Layout>
  );
}

function Totals({ totals }: { totals: ReportRow }) {
  return (
    <dl class="stats">
      <div class="stat"><dt>Clicks</dt><dd>{(totals.clicks ?? 0).toLocaleString('en-US')}</dd></div>
      <div class="stat"><dt>Conversions</dt><dd>{totals.conversions.toLocaleString('en-US')}</dd></div>
      <div class="stat"><dt>Net revenue</dt><dd><MoneyList money={totals.net} /></dd></div>
    </dl>
  );
}

function LinksSection({ campaign, links, moreLinks, numbers, forms, csrf }: CampaignProps & { csrf: string }) {
  const byLink = new Map(numbers.rows.map((row) => [row.key, row]));
  const values = forms.link?.values;
  const errors = forms.link?.errors;
  return (
    <section id="links" aria-labelledby="links-title">
      <h2 id="links-title">Links</h2>
      <p class="muted small">Share a tracked link wherever you promote this campaign: each click is counted, then redirected to the destination with a click id the snippet carries into checkout.</p>
      <TableWrap label="Links">
        <table>
          <thead>
            <tr>
              <th scope="col">Tracked link</th>
              <th scope="col">Destination</th>
              <th scope="col" class="num">Clicks</th>
              <th scope="col" class="num">Conversions</th>
              <th scope="col" class="num">Net revenue</th>
              <th scope="col"><span class="skip">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {links.length === 0 && (
              <tr><td colSpan={6} class="muted">No links yet. {campaign.archived_at ? '' : 'Create the first one below.'}</td></tr>
            )}
            {links.map((link) => {
              const row = byLink.get(link.id);
              return (
                <tr>
                  <th scope="row" class="copy-cell">
                    <div class="copy">
                      <code id={`url-${link.id}`}>{link.url}</code>
                      {link.archived_at ? <Badge value="archived" /> : <button type="button" class="secondary small" data-copy={`url-${link.id}`} aria-label={`Copy tracked link ${link.url}`}>Copy</button>}
                    </div>
                  </th>
                  <td class="url">{link.destination_url ?? <span class="muted">–</span>}</td>
                  <td class="num">{link.clicks.toLocaleString('en-US')}</td>
                  <td class="num">{(row?.conversions ?? 0).toLocaleString('en-US')}</td>
                  <td class="num"><MoneyList money={row?.net} /></td>
                  <td>{!link.archived_at && <a href={`/app/campaigns/${campaign.id}/links/${link.id}/archive`} aria-label={`Archive link ${link.slug}`}>Archive</a>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {moreLinks && <p class="muted small">Only the newest {links.length} links are shown.</p>}
      {!campaign.archived_at && (
        <div class="card">
          <h3>Create a link</h3>
          <ErrorSummary errors={errors} />
          <form method="post" action={`/app/campaigns/${campaign.id}/links`} class="stack">
            <Csrf token={csrf} />
            <Field label="Slug" name="slug" value={values?.slug} errors={errors} hint="Optional: the end of the link, /c/<slug>, using letters, digits, - and _. Leave it empty for a random one." />
            <Field
              label="Link destination URL"
              name="link_destination_url"
              type="url"
              value={values?.link_destination_url}
              errors={errors}
              hint={campaign.destination_url ? `Optional: leave it empty to send visitors to the campaign's destination, ${campaign.destination_url}` : 'Required: this campaign has no destination URL of its own.'}
            />
            <div>
              <button type="submit">Create link</button>
            </div>
          </form>
        </div>
      )}
    </section>
  );
}

function SpendSection({ campaign, spend, spendDefaults, forms, csrf }: CampaignProps & { csrf: string }) {
  const values = forms.spend?.values ?? spendDefaults;
  const errors = forms.spend?.errors;
  return (
    <section id="spend" aria-labelledby="spend-title">
      <h2 id="spend-title">Daily spend</h2>
      <p class="muted small">What the campaign cost each day (ads, a partner's fee), so reports can show its ROI. Days are in the workspace's time zone.</p>
      <div class="grid-2">
        <div class="card">
          <h3>Enter a day's spend</h3>
          <ErrorSummary errors={errors} />
          <form method="post" action={`/app/campaigns/${campaign.id}/spend`} class="stack">
            <Csrf token={csrf} />
            <Field label="Date" name="date" type="date" value={values.date} required errors={errors} />
            <Field label="Amount" name="amount" value={values.amount} required errors={errors} hint="In the currency's usual units, e.g. 12.50. Enter 0 to remove that day's spend." placeholder="12.50" />
            <Field label="Currency" name="currency" value={values.currency} required errors={errors} hint="An ISO 4217 code, e.g. USD or EUR." />
            <div>
              <button type="submit">Save spend</button>
            </div>
          </form>
        </div>
        <TableWrap label="Spend in the last 30 days">
          <table>
            <caption>Last 30 days</caption>
            <thead>
              <tr><th scope="col">Date</th><th scope="col" class="num">Amount</th></tr>
            </thead>
            <tbody>
              {spend.length === 0 && <tr><td colSpan={2} class="muted">No spend entered for the last 30 days.</td></tr>}
              {spend.map((entry) => (
                <tr><th scope="row">{entry.date}</th><td class="num">{formatMoney(entry.amount, entry.currency)}</td></tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </div>
    </section>
  );
}
