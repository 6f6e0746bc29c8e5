import type Router from '@koa/router';
import type { Context } from 'koa';
import { h } from 'preact';
import { Type } from '@sinclair/typebox';
import { renderPage } from '../../dashboard/render.js';
import { CampaignsPage, type CampaignValues } from '../../dashboard/pages/campaigns.js';
import { CampaignPage, type CampaignForms, type LinkValues, type SpendValues } from '../../dashboard/pages/campaign.js';
import { ConfirmPage } from '../../dashboard/pages/confirm.js';
import type { FormErrors } from '../../dashboard/page-context.js';
import { CreateCampaignBody, UpdateCampaignBody } from '../../campaigns/schemas.js';
import { CreateLinkBody } from '../../links/schemas.js';
import { notFound } from '../../errors.js';
import { addDays, localDateOf } from '../../time.js';
import { checkInput, listQuery } from '../validation.js';
import type { DashboardDeps } from './deps.js';
import { pageOf } from './context.js';
import { signedIn } from './session.js';
import { field, type FormFields } from './form-body.js';
import { setFlash } from './cookies.js';
import { submit } from './forms.js';
import { spendEntryOf } from './spend-form.js';

const CampaignListQuery = listQuery({ include_archived: Type.Optional(Type.Boolean()) });
const PAGE_SIZE = 100;
const MAX_LINKS = 200;
const SPEND_DAYS = 30;

const campaignValues = (form: FormFields | undefined): CampaignValues => ({ name: field(form, 'name'), destination_url: field(form, 'destination_url'), coupon_codes: field(form, 'coupon_codes') });
/** Coupon codes as typed: one line, separated by commas or spaces. */
const codesOf = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** `/app/campaigns`: list and create; a campaign's page: edit, daily spend, links (create, archive), archive. */
export function campaignPages(router: Router, deps: DashboardDeps): void {
  const { campaigns, links, spend, reports } = deps;
  const done = (ctx: Context, message: string, to: string) => {
    setFlash(ctx, message, deps.secureCookies);
    ctx.status = 303;
    ctx.redirect(to);
  };

  const showList = async (ctx: Context, form: { values?: CampaignValues; errors?: FormErrors } = {}, status = 200) => {
    const { workspaceId } = signedIn(ctx);
    const picked = Object.fromEntries(['cursor', 'include_archived'].filter((name) => typeof ctx.query[name] === 'string' && ctx.query[name] !== '').map((name) => [name, ctx.query[name]]));
    const query = checkInput(CampaignListQuery, { ...picked, limit: PAGE_SIZE }, 'query');
    const [list, numbers] = await Promise.all([campaigns.list(workspaceId, query), reports.report(workspaceId, { group_by: 'campaign', interval: 'all' })]);
    const includeArchived = query.include_archived === true;
    const nextPage = list.next_cursor ? `/app/campaigns?${new URLSearchParams({ ...(includeArchived ? { include_archived: 'true' } : {}), cursor: list.next_cursor })}` : null;
    const byCampaign = new Map(numbers.rows.filter((row) => row.key !== null).map((row) => [row.key!, row]));
    renderPage(ctx, h(CampaignsPage, { page: pageOf(ctx), campaigns: list.data, numbers: byCampaign, includeArchived, nextPage, ...form }), status);
  };

  const showCampaign = async (ctx: Context, forms: CampaignForms = {}, status = 200) => {
    const { workspaceId } = signedIn(ctx);
    const campaign = await campaigns.get(workspaceId, ctx.params.id);
    const [campaignLinks, numbers] = await Promise.all([
      links.list(workspaceId, { campaign_id: campaign.id, limit: MAX_LINKS }),
      reports.report(workspaceId, { group_by: 'link', campaign_id: campaign.id, interval: 'all' }),
    ]);
    const today = localDateOf(new Date(), numbers.timezone);
    const entries = await spend.list(workspaceId, campaign.id, { from: addDays(today, -SPEND_DAYS) });
    const spendDefaults: SpendValues = { date: today, amount: '', currency: entries.at(-1)?.currency ?? Object.keys(numbers.totals.net)[0] ?? 'USD' };
    renderPage(ctx, h(CampaignPage, { page: pageOf(ctx), campaign, links: campaignLinks.data, moreLinks: campaignLinks.next_cursor !== null, numbers, spend: entries, spendDefaults, forms }), status);
  };

  router.get('/campaigns', (ctx) => showList(ctx));

  router.post('/campaigns', async (ctx) => {
    const values = campaignValues(ctx.request.form);
    await submit(
      ctx,
      async () => {
        const input = checkInput(CreateCampaignBody, { name: values.name, coupon_codes: codesOf(values.coupon_codes), ...(values.destination_url ? { destination_url: values.destination_url } : {}) }, 'body');
        const campaign = await campaigns.create(signedIn(ctx).workspaceId, input);
        done(ctx, `Campaign “${campaign.name}” created. Create its first link below, then share it.`, `/app/campaigns/${campaign.id}#links`);
      },
      (errors, status) => showList(ctx, { values, errors }, status),
    );
  });

  router.get('/campaigns/:id', (ctx) => showCampaign(ctx));

  router.post('/campaigns/:id', async (ctx) => {
    const values = campaignValues(ctx.request.form);
    await submit(
      ctx,
      async () => {
        const input = checkInput(UpdateCampaignBody, { name: values.name, coupon_codes: codesOf(values.coupon_codes), destination_url: values.destination_url || null }, 'body');
        const campaign = await campaigns.update(signedIn(ctx).workspaceId, ctx.params.id, input);
        done(ctx, 'Campaign saved.', `/app/campaigns/${campaign.id}`);
      },
      (errors, status) => showCampaign(ctx, { edit: { values, errors } }, status),
    );
  });

  router.post('/campaigns/:id/spend', async (ctx) => {
    const form = ctx.request.form;
    const values: SpendValues = { date: field(form, 'date'), amount: field(form, 'amount'), currency: field(form, 'currency').toUpperCase() };
    await submit(
      ctx,
      async () => {
        const entry = spendEntryOf(values);
        await spend.put(signedIn(ctx).workspaceId, ctx.params.id, [entry]);
        done(ctx, entry.amount === 0 ? `Spend for ${entry.date} in ${entry.currency} removed.` : `Spend for ${entry.date} saved.`, `/app/campaigns/${ctx.params.id}#spend`);
      },
      (errors, status) => showCampaign(ctx, { spend: { values, errors } }, status),
    );
  });

  router.post('/campaigns/:id/links', async (ctx) => {
    const form = ctx.request.form;
    const values: LinkValues = { slug: field(form, 'slug'), link_destination_url: field(form, 'link_destination_url') };
    await submit(
      ctx,
      async () => {
        const input = checkInput(CreateLinkBody, { campaign_id: ctx.params.id, ...(values.slug ? { slug: values.slug } : {}), ...(values.link_destination_url ? { destination_url: values.link_destination_url } : {}) }, 'body');
        const link = await links.create(signedIn(ctx).workspaceId, input);
        done(ctx, `Link ${link.url} created. Copy it from the table below.`, `/app/campaigns/${ctx.params.id}#links`);
      },
      // The form's destination field has its own name: the campaign's settings form on the same page has one too.
      (errors, status) => {
        const { destination_url: destination, ...fields } = errors.fields;
        return showCampaign(ctx, { link: { values, errors: { ...errors, fields: { ...fields, ...(destination ? { link_destination_url: destination } : {}) } } } }, status);
      },
    );
  });

  router.get('/campaigns/:id/archive', async (ctx) => {
    const campaign = await campaigns.get(signedIn(ctx).workspaceId, ctx.params.id);
    if (campaign.archived_at) return ctx.redirect(`/app/campaigns/${campaign.id}`);
    renderPage(ctx, h(ConfirmPage, {
      page: pageOf(ctx),
      title: `Archive “${campaign.name}”?`,
      message: `Its links will stop redirecting visitors, and its coupon codes${campaign.coupon_codes.length ? ` (${campaign.coupon_codes.join(', ')})` : ''} will be released, so sales using them are no longer credited to it. Its clicks, conversions and spend stay in your reports.`,
      action: `/app/campaigns/${campaign.id}/archive`,
      confirmLabel: 'Archive campaign',
      cancelHref: `/app/campaigns/${campaign.id}`,
    }));
  });

  router.post('/campaigns/:id/archive', async (ctx) => {
    const campaign = await campaigns.archive(signedIn(ctx).workspaceId, ctx.params.id);
    done(ctx, `Campaign “${campaign.name}” archived.`, '/app/campaigns');
  });

  /** A link of this campaign (another campaign's or workspace's link is not found here). */
  const campaignLink = async (ctx: Context) => {
    const { workspaceId } = signedIn(ctx);
    const [campaign, link] = await Promise.all([campaigns.get(workspaceId, ctx.params.id), links.get(workspaceId, ctx.params.linkId)]);
    if (link.campaign_id !== campaign.id) throw notFound('link');
    return { campaign, link };
  };

  router.get('/campaigns/:id/links/:linkId/archive', async (ctx) => {
    const { campaign, link } = await campaignLink(ctx);
    if (link.archived_at) return ctx.redirect(`/app/campaigns/${campaign.id}#links`);
    renderPage(ctx, h(ConfirmPage, {
      page: pageOf(ctx),
      title: `Archive the link ${link.slug}?`,
      message: `${link.url} will stop redirecting visitors (they get a page saying the link is gone). Its clicks and conversions stay in your reports.`,
      action: `/app/campaigns/${campaign.id}/links/${link.id}/archive`,
      confirmLabel: 'Archive link',
      cancelHref: `/app/campaigns/${campaign.id}#links`,
    }));
  });

  router.post('/campaigns/:id/links/:linkId/archive', async (ctx) => {
    const { campaign, link } = await campaignLink(ctx);
    await links.archive(signedIn(ctx).workspaceId, link.id);
    done(ctx, `Link ${link.slug} archived.`, `/app/campaigns/${campaign.id}#links`);
  });
}
