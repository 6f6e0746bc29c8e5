import { expect } from 'chai';
import { ClickIds } from '../../src/clicks/click-id.js';
import { startService, useService } from '../support/service.js';
import { Api, BROWSER_UA } from '../support/http.js';
import { testDatabase } from '../support/hooks.js';

const CLICK_ID = /^[A-Za-z0-9_-]{16,64}$/;

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
    const location = reply.headers.get('location')!;
    const clickId = new URL(location).searchParams.get('clickid')!;
    expect(clickId).to.match(CLICK_ID);
    expect(location).to.equal(`https://shop.example.com/p?a=1&clickid=${clickId}#top`);
    expect(reply.headers.get('set-cookie')).to.equal(`_syx_cid=${clickId}; Path=/; Max-Age=7776000; SameSite=Lax`);
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
      expect(reply.headers.get('set-cookie')).to.match(/; SameSite=Lax; Secure$/);
    } finally {
      await secure.stop();
    }
  });

  it('mints a new, distinct id for every click', async () => {
    const { key, link } = await linkTo('https://shop.example.com/');
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const reply = await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } });
      ids.add(new URL(reply.headers.get('location')!).searchParams.get('clickid')!);
    }
    expect(ids.size).to.equal(20);
    expect(await clicksOf(key, link.id)).to.equal(20);
  });

  it('tells its own ids from forged, altered or foreign ones without the database', () => {
    const ids = suite.running.service.clickIds;
    const genuine = ids.mint('lnk_01M82ZXPHVN8SP9YZQNA8P85V7');
    expect(ids.verify(genuine)).to.deep.include({ linkId: 'lnk_01M82ZXPHVN8SP9YZQNA8P85V7' });
    const flipped = genuine.slice(0, 40) + (genuine[40] === 'A' ? 'B' : 'A') + genuine.slice(41);
    const otherLink = '01M82ZXPHVN8SP9YZQNA8P85V8' + genuine.slice(26);
    const otherSecret = new ClickIds('some-other-secret-0123456789abcdef').mint('lnk_01M82ZXPHVN8SP9YZQNA8P85V7');
    for (const forged of [flipped, otherLink, otherSecret, 'A'.repeat(58), genuine.slice(0, 57), `${genuine}A`, `${genuine.slice(0, 57)}.`, '']) {
      expect(ids.verify(forged), forged).to.equal(null);
    }
  });

  it('redirects bots, link previews, HEAD requests and agentless requests without an id, and counts none', async () => {
    const { key, link } = await linkTo('https://shop.example.com/p?a=1#top');
    const agents = [
      'Slackbot-LinkExpanding 1.0 (+https://suite.api.slack.com/robots)',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    ];
    for (const agent of agents) {
      const reply = await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': agent } });
      expect(reply.status).to.equal(302);
      expect(reply.headers.get('location')).to.equal('https://shop.example.com/p?a=1#top');
      expect(reply.headers.get('set-cookie')).to.equal(null);
    }
    const head = await suite.api.request('HEAD', `/c/${link.slug}`, undefined, { headers: { 'user-agent': BROWSER_UA } });
    expect(head.status).to.equal(302);
    expect(head.headers.get('set-cookie')).to.equal(null);
    const agentless = await fetch(`${suite.running.url}/c/${link.slug}`, { redirect: 'manual', headers: { 'user-agent': '' } });
    expect(agentless.status).to.equal(302);
    expect(await clicksOf(key, link.id)).to.equal(0);
  });

  it('answers 404 for an unknown slug and 410 for an archived link, as a page or JSON', async () => {
    const { key, link } = await linkTo('https://shop.example.com/');
    const unknown = await suite.api.get('/c/no-such-link-here', { headers: { accept: 'text/html' } });
    expect(unknown.status).to.equal(404);
    expect(unknown.headers.get('content-type')).to.contain('text/html');
    const json = await suite.api.get('/c/no-such-link-here', { headers: { accept: 'application/json' } });
    expect(json.body).to.deep.equal({ error: { code: 'not_found', message: 'This link does not exist.' } });
    await suite.api.delete(`/api/links/${link.id}`, { key });
    expect((await suite.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } })).status).to.equal(410);
    expect((await suite.api.get('/c/bad%20slug')).status).to.equal(404);
  });

  it('stores the click with a hashed IP, user agent, referer and proxy country', async () => {
    const { link } = await linkTo('https://shop.example.com/');
    const reply = await suite.api.get(`/c/${link.slug}`, {
      headers: { 'user-agent': BROWSER_UA, referer: 'https://news.example.org/post', 'cf-ipcountry': 'de' },
    });
    const clickId = new URL(reply.headers.get('location')!).searchParams.get('clickid');
    await suite.running.service.clickWriter.flush();
    const row = await testDatabase().db('clicks').where({ id: clickId }).first();
    expect(row).to.include({ link_id: link.id, user_agent: BROWSER_UA, referer: 'https://news.example.org/post', country: 'DE' });
    expect(row.ip_hash).to.be.a('string').and.not.contain('127.0.0.1');
    expect(JSON.stringify(row)).not.to.contain('127.0.0.1');
  });
});
