import type { FormErrors, PageContext } from '../page-context.js';
import type { CampaignView } from '../../campaigns/campaigns.js';
import type { ReportRow } from '../../reports/reports.js';
import { Layout } from '../components/layout.js';
import { Badge, Csrf, ErrorSummary, Field, MoneyList, TableWrap } from '../components/ui.js';

/** What the campaign form holds: the fields as typed (coupon codes as one line of text). */
export interface CampaignValues {
  name: string;
  destination_url: string;
  coupon_codes: string;
}

export const COUPON_CODES_HINT = 'Optional. Separate codes with commas or spaces; each may use letters, digits, - and _. A sale that uses one counts for this campaign.';
export const DESTINATION_HINT = 'Where its links send visitors, e.g. https://shop.example.com/pricing. A link may have its own instead.';

interface CampaignsProps {
  page: PageContext;
  campaigns: CampaignView[];
  /** All-time numbers by campaign id (only campaigns with clicks or sales have a row). */
  numbers: Map<string, ReportRow>;
  includeArchived: boolean;
  nextPage: string | null;
  values?: CampaignValues;
  errors?: FormErrors | null;
}

/** `/app/campaigns`: the workspace's campaigns with their all-time numbers, and the form that creates one. */
export function CampaignsPage({ page, campaigns, numbers, includeArchived, nextPage, values, errors }: CampaignsProps) {
  const empty = campaigns.length === 0 && !includeArchived && !nextPage;
  return (
    <Layout page={page} title="Campaigns">
      <div class="page-head">
        <h1>Campaigns</h1>
        <a href={includeArchived ? '/app/campaigns' : '/app/campaigns?include_archived=true'}>{includeArchived ? 'Hide archived campaigns' : 'Show archived campaigns'}</a>
      </div>
      {empty ? (
        <section class="card empty" aria-labelledby="no-campaigns">
          <h2 id="no-campaigns">No campaigns yet</h2>
          <p>A campaign is one thing you promote: a launch, a partner, a newsletter. It gets tracked links to share and, if you like, coupon codes.</p>
          <p class="muted">Every sale that comes through its links or codes is credited to it, so you see what it earned against what it cost. Create one below, then create its first link and share it.</p>
        </section>
      ) : (
        <CampaignTable campaigns={campaigns} numbers={numbers} nextPage={nextPage} />
      )}
      <section class="card" aria-labelledby="new-campaign">
        <h2 id="new-campaign">Create a campaign</h2>
        <ErrorSummary errors={errors} />
        <CampaignForm action="/app/campaigns" csrf={page.signedIn.csrfToken} values={values} errors={errors} submitLabel="Create campaign" />
      </section>
    </Layout>
  );
}

function CampaignTable({ campaigns, numbers, nextPage }: { campaigns: CampaignView[]; numbers: Map<string, ReportRow>; nextPage: string | null }) {
  return (
    <>
      <p class="muted small">Clicks, conversions and net revenue since the workspace began.</p>
      <TableWrap label="Campaigns">
        <table>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Coupon codes</th>
              <th scope="col">Destination</th>
              <th scope="col" class="num">Clicks</th>
              <th scope="col" class="num">Conversions</th>
              <th scope="col" class="num">Net revenue</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.length === 0 && (
              <tr><td colSpan={6} class="muted">No campaigns on this page.</td></tr>
            )}
            {campaigns.map((campaign) => {
              const row = numbers.get(campaign.id);
              return (
                <tr>
                  <th scope="row">
                    <a href={`/app/campaigns/${campaign.id}`}>{campaign.name}</a>
                    {campaign.archived_at && <> <Badge value="archived" /></>}
                  </th>
                  <td>{campaign.coupon_codes.length > 0 ? campaign.coupon_codes.map((code, index) => <>{index > 0 && ', '}<code>{code}</code></>) : <span class="muted">–</span>}</td>
                  <td class="url">{campaign.destination_url ?? <span class="muted">Each link has its own</span>}</td>
                  <td class="num">{(row?.clicks ?? 0).toLocaleString('en-US')}</td>
                  <td class="num">{(row?.conversions ?? 0).toLocaleString('en-US')}</td>
                  <td class="num"><MoneyList money={row?.net} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {nextPage && <p><a href={nextPage}>Next page</a></p>}
    </>
  );
}

/** Name, destination and coupon codes: the same fields create a campaign and edit one. */
export function CampaignForm({ action, csrf, values, errors, submitLabel }: { action: string; csrf: string; values?: CampaignValues; errors?: FormErrors | null; submitLabel: string }) {
  return (
    <form method="post" action={action} class="stack">
      <Csrf token={csrf} />
      <Field label="Name" name="name" value={values?.name} required errors={errors} placeholder="Spring launch" />
      <Field label="Destination URL" name="destination_url" type="url" value={values?.destination_url} errors={errors} hint={DESTINATION_HINT} />
      <Field label="Coupon codes" name="coupon_codes" value={values?.coupon_codes} errors={errors} hint={COUPON_CODES_HINT} placeholder="SPRING10, SPRING20" />
      <div>
        <button type="submit">{submitLabel}</button>
      </div>
    </form>
  );
}
