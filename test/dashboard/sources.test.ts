import { expect } from 'chai';
import { createLogger } from '../../src/logger.js';
import { useService } from '../support/service.js';
import { testDatabase } from '../support/hooks.js';
import { dashboardUser, PageClient, type DashboardUser, type PageReply } from '../support/dashboard.js';
import { FakeStripe } from '../support/fakes/stripe.js';
import { FakePolar } from '../support/fakes/polar.js';
import { deliverStripe } from '../support/webhooks.js';
import { checkoutSession, stripeEvent } from '../support/stripe-events.js';
import { randomBytes } from 'node:crypto';
import { writeLog } from '../../src/webhooks/logs.js';
import { Sources } from '../../src/sources/sources.js';
import { SecretBox } from '../../src/sources/secret-box.js';
import type { SourceCache } from '../../src/sources/source-cache.js';
import { createProviders } from '../../src/providers/index.js';
import { DomainError } from '../../src/errors.js';
import { newId } from '../../src/ids.js';

const XSS = '<script>alert(1)</script>';
const STRIPE_KEY = 'rk_test_51DashboardKey0000000000wxyz';
const STRIPE_SECRET = 'whsec_dashboard_c2VjcmV0LWZvci10aGUtZGFzaGJvYXJk';

/** Text as the page renders it: the renderer escapes what could open markup (`&`, `<`, `"`). */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const pathOf = (url: string) => {
  const parsed = new URL(url, 'http://service.invalid');
  return parsed.pathname + parsed.search;
};

/** Follows a page's redirects as a browser would, within the service. */
async function follow(client: PageClient, reply: PageReply): Promise<PageReply> {
  let current = reply;
  for (let hops = 0; current.location && hops < 5; hops++) current = await client.get(pathOf(current.location));
  return current;
}

/** The API-key form for a provider: its address (which holds the new source's id) and the page. */
async function keyForm(client: PageClient, provider: string): Promise<{ path: string; id: string; page: PageReply }> {
  const start = await client.get(`/app/sources/new/${provider}`);
  expect(start.status).to.equal(303);
  const path = start.location!;
  const id = /\/(src_[0-9A-Z]{26})$/.exec(path)![1];
  return { path, id, page: await client.get(path) };
}

async function saveStripeSource(user: DashboardUser, fields: Record<string, string> = {}): Promise<{ id: string; page: PageReply }> {
  const form = await keyForm(user.client, 'stripe');
  const saved = await user.client.post(form.path, { api_key: STRIPE_KEY, webhook_secret: STRIPE_SECRET, name: 'Main shop', ...fields });
  expect(saved.status, saved.html).to.equal(303);
  expect(saved.location).to.equal(`/app/sources/${form.id}`);
  return { id: form.id, page: await user.client.get(saved.location!) };
}

/** Controls without an accessible name (a label, aria-label(ledby) or text), and header cells without a scope. */
function accessibilityProblems(html: string): string[] {
  const labelled = new Set([...html.matchAll(/<label[^>]*\bfor="([^"]+)"/g)].map((match) => match[1]));
  const problems: string[] = [];
  for (const [tag] of html.matchAll(/<(?:input|select|textarea)\b[^>]*>/g)) {
    if (/type="hidden"/.test(tag) || /aria-label(?:ledby)?="[^"]+"/.test(tag)) continue;
    const id = /\bid="([^"]+)"/.exec(tag)?.[1];
    if (!id || !labelled.has(id)) problems.push(tag);
  }
  for (const [whole, attributes, content] of html.matchAll(/<(?:button|a)\b([^>]*)>([\s\S]*?)<\/(?:button|a)>/g)) {
    if (!/aria-label="[^"]+"/.test(attributes) && !content.replace(/<[^>]+>/g, '').trim()) problems.push(whole);
  }
  for (const [tag] of html.matchAll(/<th\b[^>]*>/g)) if (!/scope="(?:col|row)"/.test(tag)) problems.push(tag);
  // Tables scroll sideways inside their region on a narrow screen (TableWrap), never the page.
  const tables = html.match(/<table\b/g)?.length ?? 0;
  const wrapped = html.match(/class="table-wrap" role="region"/g)?.length ?? 0;
  if (tables !== wrapped) problems.push(`${tables} tables, ${wrapped} in a scrolling region`);
  return problems;
}

describe('Dashboard revenue sources', () => {
  describe('Sources.create with an id chosen before saving', () => {
    const suite = useService();
    const sources = () => new Sources({
      secretBox: new SecretBox([{ id: 'k1', key: randomBytes(32) }]),
      publicUrl: 'https://track.example.com',
      providers: createProviders({ stripe: { apiBase: 'https://api.stripe.com' }, polar: { apiBase: 'https://api.polar.sh' }, lemonsqueezy: { apiBase: 'https://api.lemonsqueezy.com' }, paddle: { apiBase: null } }),
      cache: {} as SourceCache,
      logger: createLogger('silent'),
    });
    const body = { provider: 'stripe' as const, mode: 'api_key' as const, api_key: STRIPE_KEY, webhook_secret: STRIPE_SECRET };
    const refusal = (promise: Promise<unknown>) => promise.then(() => expect.fail('saved'), (error: DomainError) => error);

    it('keeps the id, whose webhook URL was shown; refuses a malformed one and a taken one in any workspace', async () => {
      const [first, second] = [await suite.api.workspace(), await suite.api.workspace()];
      const id = newId('src');
      const saved = await sources().create(first.id, body, { id });
      expect(saved).to.include({ id, webhook_url: `https://track.example.com/webhooks/stripe/${id}` });
      for (const workspaceId of [first.id, second.id]) {
        const taken = await refusal(sources().create(workspaceId, body, { id }));
        expect(taken).to.include({ kind: 'conflict' });
        expect(taken.details).to.deep.equal([{ in: 'body', pointer: '/id', message: 'is taken' }]);
      }
      for (const bad of ['src_1', `lnk_${id.slice(4)}`, `${id} `, `${id.slice(0, -1)}I`]) {
        expect(await refusal(sources().create(first.id, body, { id: bad })), bad).to.include({ kind: 'invalid', code: 'validation_failed' });
      }
      expect((await suite.api.get('/api/sources', { key: second.key })).body.data).to.deep.equal([]);
      // Without one, an id is made as before.
      expect((await sources().create(first.id, body)).id).to.match(/^src_[0-9A-Z]{26}$/).and.not.to.equal(id);
    });
  });

  describe('without a platform app: API keys', () => {
    const suite = useService();
    const publicUrl = () => suite.running.config.publicUrl;

    it('lists no source yet, with a Connect button per provider that leads to the API-key form', async () => {
      const user = await dashboardUser(suite.running);
      const page = await user.client.get('/app/sources');
      expect(page.status).to.equal(200);
      expect(page.html).to.contain('No revenue source yet');
      for (const [provider, name] of [['stripe', 'Stripe'], ['polar', 'Polar']]) {
        expect(page.html).to.match(new RegExp(`<form method="get" action="/app/sources/new/${provider}"[^>]*><button type="submit">Connect ${name}</button>`));
      }
      // Nothing to redirect to elsewhere: the policy stays as strict as every page's.
      expect(page.headers.get('content-security-policy')).to.contain("form-action 'self';");
      expect(accessibilityProblems(page.html)).to.deep.equal([]);
    });

    it('shows the exact webhook URL and the events to enable before saving, and saves the source under that id', async () => {
      const user = await dashboardUser(suite.running);
      const form = await keyForm(user.client, 'stripe');
      const webhookUrl = `${publicUrl()}/webhooks/stripe/${form.id}`;
      expect(form.page.status).to.equal(200);
      expect(form.page.html).to.contain(webhookUrl);
      for (const event of ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'invoice.paid', 'charge.refunded', 'charge.dispute.created', 'charge.dispute.closed']) {
        expect(form.page.html).to.contain(`<code>${event}</code>`);
      }
      expect(form.page.html).to.match(/<label for="field-api_key">API key<\/label>/);
      expect(form.page.html).to.match(/<label for="field-webhook_secret">Webhook signing secret<\/label>/);
      expect(form.page.html).to.match(/<input id="field-webhook_secret"[^>]*required/);
      expect(form.page.html).to.contain('>Save source</button>');
      expect(accessibilityProblems(form.page.html)).to.deep.equal([]);
      // A reload (or coming back from the provider's dashboard) keeps the URL the merchant pasted there.
      expect((await user.client.get(form.path)).html).to.contain(webhookUrl);

      const saved = await user.client.post(form.path, { api_key: ` ${STRIPE_KEY} `, webhook_secret: STRIPE_SECRET, name: 'Main shop' });
      expect(saved.status).to.equal(303);
      const page = await follow(user.client, saved);
      expect(page.status).to.equal(200);
      expect(page.html).to.contain('Connected Main shop.');
      expect(page.html).to.contain('API key ending in wxyz');
      expect(page.html).to.contain(webhookUrl);

      const source = (await suite.api.get(`/api/sources/${form.id}`, { key: user.key })).body;
      expect(source).to.include({ id: form.id, provider: 'stripe', mode: 'api_key', name: 'Main shop', webhook_url: webhookUrl });
      // The snippet tag is the one the API hands out, with a copy button.
      const tag = (await suite.api.get(`/api/sources/${form.id}/snippet`, { key: user.key })).body.html;
      expect(page.html).to.contain(`<code id="snippet-tag" aria-labelledby="snippet-tag-label">${escaped(tag)}</code>`);
      expect(page.html).to.contain('data-copy="snippet-tag"');
      // Install steps for each way a Stripe checkout carries the click.
      expect(page.html).to.contain('Stripe Checkout, created on your server').and.to.contain('synaptyx.attach(payload)').and.to.contain('client_reference_id');
      expect(page.html).to.contain('Payment Links, Buy Buttons and pricing tables');
      expect(accessibilityProblems(page.html)).to.deep.equal([]);

      // The secret that was typed is the one saved: a delivery signed with it is accepted at the URL shown.
      const delivery = await deliverStripe(suite.api, form.id, stripeEvent('checkout.session.completed', checkoutSession({ metadata: {} })), { secret: STRIPE_SECRET });
      expect(delivery.status).to.equal(200);
      const withLog = await user.client.get(`/app/sources/${form.id}`);
      expect(withLog.html).to.contain('orphan no clickid').and.to.contain('Working: the last event arrived');

      // The list shows it with its status and last event.
      const list = await user.client.get('/app/sources');
      expect(list.html).to.contain(`<a href="/app/sources/${form.id}">Main shop</a>`);
      expect(list.html).to.contain('<span class="badge active">active</span>');
      expect(list.html).not.to.contain('None yet');
    });

    it('re-renders a refused form with each problem by its field, never echoing the key or the secret', async () => {
      const user = await dashboardUser(suite.running);
      const form = await keyForm(user.client, 'stripe');
      const refused = await user.client.post(form.path, { api_key: 'rk_x1', webhook_secret: '', name: 'Typed name' });
      expect(refused.status).to.equal(400);
      expect(refused.html).to.match(/<input id="field-api_key"[^>]*aria-invalid="true"/);
      expect(refused.html).to.contain('id="field-api_key-error"').and.to.contain('Must NOT have fewer than 8 characters.');
      expect(refused.html).to.contain('value="Typed name"');
      expect(refused.html).not.to.contain('rk_x1');
      // The same id, so the URL already pasted at Stripe stays right.
      expect(refused.html).to.contain(`/webhooks/stripe/${form.id}`);
      expect((await suite.api.get('/api/sources', { key: user.key })).body.data).to.deep.equal([]);

      // Stripe gives no API to make the endpoint with a key: its secret is required, by the provider's rule.
      const secretOnly = await user.client.post(form.path, { api_key: STRIPE_KEY, webhook_secret: '', name: '' });
      expect(secretOnly.status).to.equal(400);
      expect(secretOnly.html).to.contain('id="field-webhook_secret-error"');
      expect(secretOnly.html).not.to.contain('id="field-api_key-error"');
      expect(secretOnly.html).not.to.contain(STRIPE_KEY);
    });

    it('refuses an id that is taken, here or in another workspace, and changes nothing', async () => {
      const owner = await dashboardUser(suite.running);
      const { id } = await saveStripeSource(owner);
      // The form of a source saved already (Back after saving) is its page.
      expect((await owner.client.get(`/app/sources/new/stripe/${id}`)).location).to.equal(`/app/sources/${id}`);
      const twice = await owner.client.post(`/app/sources/new/stripe/${id}`, { api_key: STRIPE_KEY, webhook_secret: STRIPE_SECRET, name: 'Again' });
      expect(twice.status).to.equal(409);
      expect(twice.html).to.contain('This source id is taken').and.to.contain('Start again with a new webhook URL');

      const other = await dashboardUser(suite.running);
      const form = await other.client.get(`/app/sources/new/stripe/${id}`);
      expect(form.status, 'shows nothing of the other workspace').to.equal(200);
      const taken = await other.client.post(`/app/sources/new/stripe/${id}`, { api_key: 'rk_test_someone_elses_key', webhook_secret: 'whsec_someone_elses_secret', name: 'Hijack' });
      expect(taken.status).to.equal(409);
      expect((await suite.api.get('/api/sources', { key: other.key })).body.data).to.deep.equal([]);
      expect((await suite.api.get(`/api/sources/${id}`, { key: owner.key })).body.name).to.equal('Main shop');
      expect((await owner.client.post('/app/sources/new/stripe/src_not-an-id', { api_key: STRIPE_KEY, webhook_secret: STRIPE_SECRET })).status).to.equal(404);
      expect((await owner.client.get('/app/sources/new/paypal')).status).to.equal(404);
    });

    it('edits event mappings with the API\'s rules, showing a refused row by its event', async () => {
      const user = await dashboardUser(suite.running);
      const { id, page } = await saveStripeSource(user);
      expect(page.html).to.contain('aria-label="Action for checkout.session.completed"').and.to.contain('aria-label="Goal for invoice.paid"');

      const types = ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'invoice.paid'];
      const saved = await user.client.post(`/app/sources/${id}/event-mappings`, { event_type: types, action: ['conversion', 'conversion', 'ignore'], goal: ['upgrade', '', ''] });
      expect(saved.status).to.equal(303);
      expect((await follow(user.client, saved)).html).to.contain('Event mappings saved.');
      expect((await suite.api.get(`/api/sources/${id}/event-mappings`, { key: user.key })).body).to.deep.equal([
        { event_type: 'checkout.session.completed', action: 'conversion', goal: 'upgrade' },
        { event_type: 'checkout.session.async_payment_succeeded', action: 'conversion' },
        { event_type: 'invoice.paid', action: 'ignore' },
      ]);
      const shown = await user.client.get(`/app/sources/${id}`);
      expect(shown.html).to.match(/name="goal" value="upgrade"/);
      expect(shown.html).to.match(/aria-label="Action for invoice.paid"[^>]*>(?:(?!<\/select>).)*<option value="ignore" selected/s);

      const refused = await user.client.post(`/app/sources/${id}/event-mappings`, { event_type: [...types, 'charge.refunded'], action: ['conversion', 'conversion', 'conversion', 'conversion'], goal: ['Bad Goal!', '', '', ''] });
      expect(refused.status).to.equal(400);
      expect(refused.html).to.contain('Some event mappings cannot be used');
      expect(refused.html).to.contain('id="mapping-0-error"').and.to.contain('value="Bad Goal!"');
      const carriesNoSale = await user.client.post(`/app/sources/${id}/event-mappings`, { event_type: [...types, 'charge.refunded'], action: ['conversion', 'conversion', 'conversion', 'conversion'], goal: ['', '', '', ''] });
      expect(carriesNoSale.status).to.equal(400);
      expect(carriesNoSale.html).to.contain('id="mapping-3-error"').and.to.contain('charge.refunded carries no sale');
      expect((await suite.api.get(`/api/sources/${id}/event-mappings`, { key: user.key })).body[0].goal).to.equal('upgrade');
    });

    it('shows the webhook log newest first, filtered by outcome, with every detail escaped', async () => {
      const user = await dashboardUser(suite.running);
      const { id } = await saveStripeSource(user, { name: XSS });
      const db = testDatabase().db;
      const entry = (outcome: 'error' | 'ignored', detail: string) => writeLog(db, { source_id: id, provider: 'stripe', provider_event_id: `evt_${detail.length}_${Math.random()}`, event_type: 'checkout.session.completed', outcome, detail });
      await entry('ignored', 'first ignored');
      await entry('error', `older error ${XSS}`);
      await entry('error', 'newest error');

      const all = await user.client.get(`/app/sources/${id}`);
      expect(all.html.indexOf('newest error')).to.be.lessThan(all.html.indexOf('older error')).and.to.be.greaterThan(0);
      expect(all.html).to.contain('first ignored');
      const errors = await user.client.get(`/app/sources/${id}?outcome=error`);
      expect(errors.html).to.contain('newest error').and.to.contain('older error').and.not.to.contain('first ignored');
      expect(errors.html).to.match(/<option value="error" selected/);
      const bogus = await user.client.get(`/app/sources/${id}?outcome=bogus`);
      expect(bogus.status).to.equal(200);
      expect(bogus.html).to.contain('role="alert"').and.to.contain('first ignored');

      for (const path of ['/app/sources', `/app/sources/${id}`, `/app/sources/${id}?outcome=error`, `/app/sources/${id}/disconnect`]) {
        const page = await user.client.get(path);
        expect(page.html, path).not.to.contain(XSS);
        expect(page.html, path).to.contain(escaped(XSS));
      }
    });

    it('disconnects after a confirmation that works without script, and says what happened at the provider', async () => {
      const user = await dashboardUser(suite.running);
      const { id, page } = await saveStripeSource(user);
      expect(page.html).to.contain(`<a class="button secondary" href="/app/sources/${id}/disconnect">Disconnect this source</a>`);
      const confirm = await user.client.get(`/app/sources/${id}/disconnect`);
      expect(confirm.status).to.equal(200);
      expect(confirm.html).to.contain('<h1>Disconnect Main shop?</h1>');
      expect(confirm.html).to.match(new RegExp(`<form method="post" action="/app/sources/${id}/disconnect"[^>]*><input type="hidden" name="_csrf"`));
      expect(confirm.html).to.contain('>Disconnect Main shop</button>');
      expect((await suite.api.get(`/api/sources/${id}`, { key: user.key })).body.status, 'the confirmation changes nothing').to.equal('active');

      const done = await user.client.post(`/app/sources/${id}/disconnect`);
      expect(done.status).to.equal(303);
      const after = await follow(user.client, done);
      expect(after.html).to.contain('Disconnected Main shop.').and.to.contain('delete the webhook endpoint and the key in Stripe');
      expect(after.html).to.contain('<span class="badge disconnected">disconnected</span>');
      expect(after.html).not.to.contain('id="snippet-tag"').and.not.to.contain('Disconnect this source');
      expect((await suite.api.get(`/api/sources/${id}`, { key: user.key })).body.status).to.equal('disconnected');
      const again = await user.client.get(`/app/sources/${id}/disconnect`);
      expect(again.location).to.equal(`/app/sources/${id}`);
      expect((await follow(user.client, again)).html).to.contain('Main shop is already disconnected.');
    });

    it('never shows a submitted key or secret on any sources page', async () => {
      const user = await dashboardUser(suite.running);
      const { id } = await saveStripeSource(user);
      const pages = ['/app', '/app/sources', `/app/sources/${id}`, `/app/sources/${id}?outcome=attributed`, `/app/sources/${id}/disconnect`, `/app/sources/new/stripe/${id}`];
      await user.client.post(`/app/sources/${id}/event-mappings`, { event_type: 'invoice.paid', action: 'nonsense' });
      for (const path of pages) {
        const html = (await follow(user.client, await user.client.get(path))).html;
        expect(html, path).not.to.contain(STRIPE_KEY).and.not.to.contain(STRIPE_SECRET);
      }
      await user.client.post(`/app/sources/${id}/disconnect`);
      const html = (await user.client.get(`/app/sources/${id}`)).html;
      expect(html).not.to.contain(STRIPE_KEY).and.not.to.contain(STRIPE_SECRET);
    });

    it("keeps another workspace's source out of reach, by address and by form: a 404 page, and nothing changes", async () => {
      const owner = await dashboardUser(suite.running);
      const { id } = await saveStripeSource(owner);
      const intruder = await dashboardUser(suite.running, { name: 'intruder' });
      await intruder.client.get('/app/sources');
      for (const path of [`/app/sources/${id}`, `/app/sources/${id}/disconnect`, `/app/sources/connected?source_id=${id}&status=connected`]) {
        const reply = await intruder.client.get(path);
        expect(reply.status, path).to.equal(404);
        expect(reply.html, path).to.contain('Page not found').and.not.to.contain('Main shop');
      }
      const mapped = await intruder.client.post(`/app/sources/${id}/event-mappings`, { event_type: 'invoice.paid', action: 'ignore' });
      expect(mapped.status).to.equal(404);
      const disconnected = await intruder.client.post(`/app/sources/${id}/disconnect`);
      expect(disconnected.status).to.equal(404);
      expect((await intruder.client.get('/app/sources')).html).not.to.contain(id);

      const source = (await suite.api.get(`/api/sources/${id}`, { key: owner.key })).body;
      expect(source.status).to.equal('active');
      expect((await suite.api.get(`/api/sources/${id}/event-mappings`, { key: owner.key })).body.map((m: { action: string }) => m.action)).to.deep.equal(['conversion', 'conversion', 'conversion']);
      // A form without the session's token changes nothing either.
      expect((await owner.client.post(`/app/sources/${id}/disconnect`, { _csrf: null })).status).to.equal(403);
      expect((await suite.api.get(`/api/sources/${id}`, { key: owner.key })).body.status).to.equal('active');
    });
  });

  describe('with the platform apps: one click', () => {
    const stripe = new FakeStripe();
    const polar = new FakePolar();
    before(() => Promise.all([stripe.start(), polar.start()]));
    after(() => Promise.all([stripe.stop(), polar.stop()]));
    beforeEach(() => {
      stripe.nextAccount = `acct_${Math.random().toString(36).slice(2)}`;
      polar.newOrganization();
    });
    const suite = useService(() => ({ ...stripe.env(), ...polar.env() }));

    /** Connect <provider> up to the provider's answer: the callback address the browser is sent back to. */
    async function authorize(client: PageClient, provider: 'stripe' | 'polar'): Promise<string> {
      await client.get('/app/sources');
      const started = await client.post(`/app/sources/connect/${provider}`);
      expect(started.status).to.equal(303);
      const consent = await fetch(started.location!, { redirect: 'manual' });
      expect(consent.status).to.equal(302);
      return pathOf(consent.headers.get('location')!);
    }

    const sourcesOf = async (user: DashboardUser) => (await suite.api.get('/api/sources', { key: user.key })).body.data;

    it('offers one click for each configured provider, its consent page allowed as a form redirect, and an API key instead', async () => {
      const user = await dashboardUser(suite.running);
      const page = await user.client.get('/app/sources');
      expect(page.html).to.match(/<form method="post" action="\/app\/sources\/connect\/stripe"[^>]*><input type="hidden" name="_csrf"[^>]*\/?><button type="submit">Connect Stripe<\/button>/);
      expect(page.html).to.match(/<form method="post" action="\/app\/sources\/connect\/polar"[^>]*><input type="hidden" name="_csrf"[^>]*\/?><button type="submit">Connect Polar<\/button>/);
      expect(page.html).to.contain('<a href="/app/sources/new/stripe">Use a Stripe API key instead</a>');
      expect(page.headers.get('content-security-policy')).to.contain(`form-action 'self' ${new URL(stripe.url).origin}`);
      expect(accessibilityProblems(page.html)).to.deep.equal([]);
      // Without the session's token nothing starts.
      expect((await user.client.post('/app/sources/connect/stripe', { _csrf: null })).status).to.equal(403);
    });

    it('connects Stripe in one click and lands on the source with a confirmation; no token in any page', async () => {
      const user = await dashboardUser(suite.running);
      const callback = await user.client.get(await authorize(user.client, 'stripe'));
      expect(callback.status).to.equal(302);
      expect(callback.location).to.match(/\/app\/sources\/connected\?source_id=src_[0-9A-Z]{26}&status=connected$/);
      const page = await follow(user.client, callback);
      const [source] = await sourcesOf(user);
      expect(page.status).to.equal(200);
      expect(page.html).to.contain(`Connected Stripe ${stripe.nextAccount}.`).and.to.contain('One-click connection');
      expect(page.html).to.contain(`<h1>Stripe ${stripe.nextAccount}</h1>`).and.to.contain('nothing to do');
      expect(source).to.include({ provider: 'stripe', mode: 'oauth', account_id: stripe.nextAccount });
      const token = stripe.to('POST', '/oauth/token').at(-1)!;
      expect(token).to.exist;
      for (const path of ['/app/sources', `/app/sources/${source.id}`, `/app/sources/${source.id}/disconnect`]) {
        const html = (await user.client.get(path)).html;
        expect(html, path).not.to.match(/sk_test_connected_/).and.not.to.contain(stripe.secretKey);
      }
    });

    it('connects Polar in one click, and disconnecting removes the endpoint and the access at Polar', async () => {
      const user = await dashboardUser(suite.running);
      const page = await follow(user.client, await user.client.get(await authorize(user.client, 'polar')));
      const [source] = await sourcesOf(user);
      expect(page.html).to.contain(`Connected ${escaped(polar.organization.name)}.`);
      const endpoint = [...polar.endpoints.values()].at(-1)!;
      const secrets = [endpoint.secret, ...polar.issued.flatMap((pair) => [pair.access, pair.refresh])];
      const disconnect = await user.client.get(`/app/sources/${source.id}/disconnect`);
      expect(disconnect.html).to.contain('Synaptyx also removes its access at Polar');
      const done = await follow(user.client, await user.client.post(`/app/sources/${source.id}/disconnect`));
      expect(done.html).to.contain(`Disconnected ${escaped(polar.organization.name)}. Synaptyx's access at Polar is removed.`);
      expect(polar.isRevoked(polar.issued.at(-1)!.access)).to.equal(true);
      for (const path of ['/app', '/app/sources', `/app/sources/${source.id}`]) {
        const html = (await user.client.get(path)).html;
        for (const secret of secrets) expect(html, path).not.to.contain(secret);
      }
    });

    it('refuses the callback in another browser, with or without a session, and connects nothing; the same session connects', async () => {
      const user = await dashboardUser(suite.running);
      const someoneElse = await dashboardUser(suite.running, { name: 'someone-else' });
      for (const browser of [new PageClient(suite.running.url), someoneElse.client]) {
        const refused = await browser.get(await authorize(user.client, 'stripe'));
        expect(refused.status).to.equal(400);
        expect(refused.headers.get('content-type')).to.contain('text/html');
        expect(refused.html).to.contain('started in another browser').and.to.contain('nothing was connected');
      }
      expect(await sourcesOf(user)).to.deep.equal([]);
      expect(await sourcesOf(someoneElse)).to.deep.equal([]);

      const page = await follow(user.client, await user.client.get(await authorize(user.client, 'stripe')));
      expect(page.html).to.contain(`Connected Stripe ${stripe.nextAccount}.`);
      expect(await sourcesOf(user)).to.have.length(1);
    });

    it('offers to reconnect a one-click source that needs it', async () => {
      const user = await dashboardUser(suite.running);
      await follow(user.client, await user.client.get(await authorize(user.client, 'polar')));
      const [source] = await sourcesOf(user);
      await testDatabase().db('sources').where({ id: source.id }).update({ sync_error: 'Polar refused the access token', sync_error_at: new Date() });
      const page = await user.client.get(`/app/sources/${source.id}`);
      expect(page.html).to.contain('Polar refused the access token');
      expect(page.html).to.match(/<form method="post" action="\/app\/sources\/connect\/polar"[^>]*><input type="hidden" name="_csrf"[^>]*\/?><button type="submit">Reconnect Polar<\/button>/);
      expect(page.headers.get('content-security-policy')).to.contain(new URL(polar.url).origin);
      const reconnected = await follow(user.client, await user.client.get(await authorize(user.client, 'polar')));
      expect(reconnected.html).to.contain(`Reconnected ${escaped(polar.organization.name)}.`);
      expect(await sourcesOf(user)).to.have.length(1);
    });
  });
});
