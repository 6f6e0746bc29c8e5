import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { ClickIds } from '../../src/clicks/click-id.js';
import { startService, useService } from '../support/service.js';
import { Api, BROWSER_UA, type Reply } from '../support/http.js';
import { testDatabase } from '../support/hooks.js';

const CLICK_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** The click id a redirect carries in its Location. */
function clickIdOf(reply: Reply): string {
  const clickId = new URL(reply.headers.get('location')!).searchParams.get('clickid');
  if (!clickId) expect.fail(`no click id in ${reply.headers.get('location')}`);
  return clickId;
}

/** A GET that sends no User-Agent header at all (fetch always adds one). */
function getWithoutUserAgent(url: string): Promise<{ status: number; location: string | undefined; cookie: string[] | undefined }> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      response.resume();
      resolve({ status: response.statusCode!, location: response.headers.location, cookie: response.headers['set-cookie'] });
    })
      .on('error', reject)
      .end();
  });
}

describe('GET /c/:slug', () => {
  const suite = useService();

  async function linkTo(destination: string) {
    const { key } = await suite.api.workspace();
    const link = await suite.api.link(key, (await suite.api.campaign(key)).id, { destination_url: destination });
    return { key, link };
  }
  const clicksOf = async (key: string, linkId: string) => {
    await suite.running.service.clickWriter.flush();
    return (await suite.api.get(`/api/links/${linkId}`, { key })).body.clicks;
  };

  it('redirects a human with a signed click id, a cookie and no-store, keeping query and fragment', async () => {
    const { key, link } = await linkTo('https://shop.example.com/p?a=1&clickid=stale#top');
    const reply = await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } });
    expect(reply.status).to.equal(302);
    const clickId = clickIdOf(reply);
    expect(clickId).to.match(CLICK_ID);
    expect(reply.headers.get('location')).to.equal(`https://shop.example.com/p?a=1&clickid=${clickId}#top`);
    // A first click begins its own chain: _syx_fcid names it too.
    expect(reply.headers.getSetCookie()).to.deep.equal([
      `_syx_cid=${clickId}; Path=/; Max-Age=7776000; SameSite=Lax`,
      `_syx_fcid=${clickId}; Path=/; Max-Age=7776000; SameSite=Lax`,
    ]);
    expect(reply.headers.get('cache-control')).to.equal('no-store');
    expect(reply.headers.get('x-request-id')).to.be.a('string');
    expect(suite.running.service.clickIds.verify(clickId)).to.deep.include({ linkId: link.id });
    expect(await clicksOf(key, link.id)).to.equal(1);
  });

  it('adds the cookie flag Secure when the public URL is https', async () => {
    const secure = await startService({ SYX_PUBLIC_URL: 'https://go.example.com' });
    try {
      const secureApi = new Api(secure.url);
      const { key } = await secureApi.workspace();
      const link = await secureApi.link(key, (await secureApi.campaign(key)).id);
      const reply = await secureApi.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } });
      expect(reply.headers.getSetCookie()).to.deep.equal([
        `_syx_cid=${clickIdOf(reply)}; Path=/; Max-Age=7776000; SameSite=Lax; Secure`,
        `_syx_fcid=${clickIdOf(reply)}; Path=/; Max-Age=7776000; SameSite=Lax; Secure`,
      ]);
    } finally {
      await secure.stop();
    }
  });

  it('mints a new, distinct id for every click', async () => {
    const { key, link } = await linkTo('https://shop.example.com/');
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      ids.add(clickIdOf(await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } })));
    }
    expect(ids.size).to.equal(20);
    expect(await clicksOf(key, link.id)).to.equal(20);
  });

  it('issues ids that only this service verifies: altered or foreign ones are refused', async () => {
    const { link } = await linkTo('https://shop.example.com/');
    const clickId = clickIdOf(await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } }));
    const ids = suite.running.service.clickIds;
    expect(ids.verify(clickId)?.linkId).to.equal(link.id);
    const flipped = clickId.slice(0, 40) + (clickId[40] === 'A' ? 'B' : 'A') + clickId.slice(41);
    expect(ids.verify(flipped)).to.equal(null);
    expect(new ClickIds('some-other-secret-0123456789abcdef').verify(clickId)).to.equal(null);
    expect(ids.verify(new ClickIds('some-other-secret-0123456789abcdef').mint(link.id))).to.equal(null);
  });

  it("keeps the destination's query byte for byte and replaces a stale clickid", async () => {
    // [destination, where a human goes (<id> is the click id), where a bot goes]
    const cases = [
      ['https://shop.example.com', 'https://shop.example.com/?clickid=<id>', 'https://shop.example.com/'],
      ['https://shop.example.com/p?', 'https://shop.example.com/p?clickid=<id>', 'https://shop.example.com/p'],
      ['https://shop.example.com/p#reviews', 'https://shop.example.com/p?clickid=<id>#reviews', 'https://shop.example.com/p#reviews'],
      ['https://shop.example.com/p?clickid=old', 'https://shop.example.com/p?clickid=<id>', 'https://shop.example.com/p'],
      [
        'https://shop.example.com/s?q=caf%C3%A9%20au%20lait&next=/checkout&ref&tags[]=a',
        'https://shop.example.com/s?q=caf%C3%A9%20au%20lait&next=/checkout&ref&tags[]=a&clickid=<id>',
        'https://shop.example.com/s?q=caf%C3%A9%20au%20lait&next=/checkout&ref&tags[]=a',
      ],
      [
        'https://shop.example.com/p?utm_source=news&clickid=old&utm_medium=mail#top',
        'https://shop.example.com/p?utm_source=news&utm_medium=mail&clickid=<id>#top',
        'https://shop.example.com/p?utm_source=news&utm_medium=mail#top',
      ],
    ];
    for (const [destination, human, plain] of cases) {
      const { link } = await linkTo(destination);
      const visit = await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } });
      expect(visit.headers.get('location'), destination).to.equal(human.replace('<id>', clickIdOf(visit)));
      const preview = await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0' } });
      expect(preview.headers.get('location'), destination).to.equal(plain);
    }
  });

  it('redirects bots, link previews, HEAD and agentless requests to the plain destination, counting none', async () => {
    const { key, link } = await linkTo('https://shop.example.com/p?a=1#top');
    const agents = [
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Twitterbot/1.0',
      'curl/8.5.0',
    ];
    for (const agent of agents) {
      const reply = await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': agent } });
      expect(reply.status, agent).to.equal(302);
      expect(reply.headers.get('location'), agent).to.equal('https://shop.example.com/p?a=1#top');
      expect(reply.headers.get('set-cookie'), agent).to.equal(null);
      expect(reply.headers.get('cache-control'), agent).to.equal('no-store');
    }
    const head = await suite.api.request('HEAD', `/c/${link.slug}`, undefined, { headers: { 'user-agent': BROWSER_UA } });
    expect(head.status).to.equal(302);
    expect(head.headers.get('location')).to.equal('https://shop.example.com/p?a=1#top');
    expect(head.headers.get('set-cookie')).to.equal(null);
    const agentless = await getWithoutUserAgent(`${suite.running.url}/c/${link.slug}`);
    expect(agentless).to.deep.equal({ status: 302, location: 'https://shop.example.com/p?a=1#top', cookie: undefined });
    expect(await clicksOf(key, link.id)).to.equal(0);
    expect(await testDatabase().db('clicks').where({ link_id: link.id })).to.deep.equal([]);
  });

  it('answers 404 for an unknown slug and 410 for an archived link or campaign, as a page or JSON', async () => {
    const unknown = await suite.api.get('/c/no-such-link-here', { headers: { accept: 'text/html', 'user-agent': BROWSER_UA } });
    expect(unknown.status).to.equal(404);
    expect(unknown.headers.get('content-type')).to.contain('text/html');
    expect(unknown.headers.get('location')).to.equal(null);
    expect(unknown.headers.get('set-cookie')).to.equal(null);
    const json = await suite.api.get('/c/no-such-link-here', { headers: { accept: 'application/json' } });
    expect(json.body).to.deep.equal({ error: { code: 'not_found', message: 'This link does not exist.' } });
    expect((await suite.api.get('/c/bad%20slug')).status).to.equal(404);

    const { key, link } = await linkTo('https://shop.example.com/');
    await suite.api.delete(`/api/links/${link.id}`, { key });
    const retired = await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA, accept: 'application/json' } });
    expect(retired.status).to.equal(410);
    expect(retired.body.error.code).to.equal('gone');
    expect(retired.headers.get('set-cookie')).to.equal(null);

    const second = await linkTo('https://shop.example.com/');
    expect((await suite.api.get(`/c/${second.link.slug}`, { headers: { 'user-agent': BROWSER_UA } })).status).to.equal(302);
    await suite.api.delete(`/api/campaigns/${second.link.campaign_id}`, { key: second.key });
    expect((await suite.api.get(`/c/${second.link.slug}`, { headers: { 'user-agent': BROWSER_UA } })).status).to.equal(410);
    expect(await clicksOf(key, link.id)).to.equal(0);
    expect(await clicksOf(second.key, second.link.id)).to.equal(1);
  });

  it('stores the click with a hashed IP, user agent, referer and proxy country', async () => {
    const { link } = await linkTo('https://shop.example.com/');
    const reply = await suite.api.get(`/c/${link.slug}`, {
      headers: { 'user-agent': BROWSER_UA, referer: 'https://news.example.org/post', 'cf-ipcountry': 'de' },
    });
    const clickId = clickIdOf(reply);
    await suite.running.service.clickWriter.flush();
    const row = await testDatabase().db('clicks').where({ id: clickId }).first();
    expect(row).to.include({ link_id: link.id, user_agent: BROWSER_UA, referer: 'https://news.example.org/post', country: 'DE' });
    expect(row.ip_hash).to.be.a('string').and.not.contain('127.0.0.1');
    expect(JSON.stringify(row)).not.to.contain('127.0.0.1');
    // Keyed with the service secret: a plain hash of an IPv4 address is reversed by trying all 2^32 of them.
    const unkeyed = createHash('sha256').update('127.0.0.1').digest();
    for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(unkeyed.toString(encoding)).not.to.contain(row.ip_hash);
    // Not behind a trusted proxy (SYX_TRUST_PROXY unset): a client cannot pass itself off as another address.
    const spoofed = await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': '203.0.113.9' } });
    await suite.running.service.clickWriter.flush();
    expect(await testDatabase().db('clicks').where({ id: clickIdOf(spoofed) }).first()).to.include({ ip_hash: row.ip_hash });
  });
});
