import { expect } from 'chai';
import { useService } from '../support/service.js';
import { BROWSER_UA } from '../support/http.js';
import { testDatabase } from '../support/hooks.js';

describe('the click chain', () => {
  const suite = useService();

  async function visit(slug: string, cookie?: string) {
    const reply = await suite.api.get(`/c/${slug}`, { headers: { 'user-agent': BROWSER_UA, ...(cookie ? { cookie } : {}) } });
    const cookies = Object.fromEntries(reply.headers.getSetCookie().map((line) => line.split(';')[0].split('=')));
    return { clickId: new URL(reply.headers.get('location')!).searchParams.get('clickid')!, cookies };
  }

  async function links() {
    const { key } = await suite.api.workspace();
    const a = await suite.api.link(key, (await suite.api.campaign(key, { name: 'A' })).id);
    const b = await suite.api.link(key, (await suite.api.campaign(key, { name: 'B' })).id);
    return { key, a, b };
  }

  const rowOf = async (clickId: string) => {
    for (let i = 0; i < 50; i++) {
      const row = await testDatabase().db('clicks').where({ id: clickId }).first();
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`click ${clickId} was not written`);
  };

  it('a visitor holding a valid _syx_cid keeps the chain\'s first click through every later click', async () => {
    const { a, b } = await links();
    const first = await visit(a.slug);
    expect(first.cookies).to.deep.equal({ _syx_cid: first.clickId, _syx_fcid: first.clickId });
    const second = await visit(b.slug, `_syx_cid=${first.cookies._syx_cid}; _syx_fcid=${first.cookies._syx_fcid}`);
    expect(second.cookies).to.deep.equal({ _syx_cid: second.clickId, _syx_fcid: first.clickId });
    const third = await visit(a.slug, `theme=dark; _syx_cid=${second.cookies._syx_cid}; _syx_fcid=${second.cookies._syx_fcid}`);
    expect(third.cookies._syx_fcid).to.equal(first.clickId);
    expect((await rowOf(first.clickId)).first_click_id).to.equal(null);
    expect((await rowOf(second.clickId)).first_click_id).to.equal(first.clickId);
    expect((await rowOf(third.clickId)).first_click_id).to.equal(first.clickId);
  });

  it('a click id older than 90 days, forged, or missing begins a new chain', async () => {
    const { a, b } = await links();
    const old = suite.running.service.clickIds.mint(a.id, Date.now() - 91 * 86_400_000);
    const stale = await visit(b.slug, `_syx_cid=${old}; _syx_fcid=${old}`);
    expect(stale.cookies._syx_fcid).to.equal(stale.clickId);
    const fresh = await visit(a.slug);
    const forged = `${fresh.clickId.slice(0, -4)}AAAA`;
    const tampered = await visit(b.slug, `_syx_cid=${forged}; _syx_fcid=${fresh.clickId}`);
    expect(tampered.cookies._syx_fcid).to.equal(tampered.clickId);
    // Only _syx_fcid was lost: the chain goes on from _syx_cid.
    const onlyLast = await visit(b.slug, `_syx_cid=${fresh.clickId}`);
    expect(onlyLast.cookies._syx_fcid).to.equal(fresh.clickId);
  });

  it('a server-to-server conversion keeps the chain\'s first click too', async () => {
    const { key, a, b } = await links();
    const first = await visit(a.slug);
    const second = await visit(b.slug, `_syx_cid=${first.clickId}; _syx_fcid=${first.clickId}`);
    await rowOf(second.clickId);
    const reply = await suite.api.post('/api/conversions', { click_id: second.clickId, order_id: 'chain-1', amount: 100, currency: 'USD' }, { key });
    expect(reply.status).to.equal(201);
    expect(reply.body).to.include({ click_id: second.clickId, first_click_id: first.clickId, link_id: b.id });
  });
});
