import { expect } from 'chai';
import { useService } from '../support/service.js';
import { httpUrlProblem } from '../../src/urls.js';

/** URLs the WHATWG parser refuses or that no browser should be sent to. */
const BAD_URLS = [
  'http://a:99999/', 'http://[::1/', 'http://%zz/', 'http://x.com:0/', 'http:/x.com', 'ftp://x.com/', 'javascript:alert(1)',
  'https://user:pw@x.com/', 'https://x.com/a b', 'https://x.com/\n', ' https://x.com/', 'https://', 'http://.../', 'x.com/path',
];

describe('destination URLs', () => {
  const suite = useService();

  it('one rule accepts real destinations and names what is wrong with the rest', () => {
    for (const url of ['https://shop.example.com/p?a=1&b=%20#top', 'http://localhost:3000/x', 'https://[::1]:8443/', 'HTTPS://Shop.Example.com']) {
      expect(httpUrlProblem(url), url).to.equal(null);
    }
    for (const url of BAD_URLS) expect(httpUrlProblem(url), url).to.be.a('string');
  });

  it('campaigns and links refuse each bad URL with a 400 naming destination_url, on create and on update', async () => {
    const { api } = suite;
    const { key } = await api.workspace();
    const campaign = await api.campaign(key);
    const link = await api.link(key, campaign.id);
    for (const url of BAD_URLS) {
      const replies = [
        await api.post('/api/campaigns', { name: 'Bad', destination_url: url }, { key }),
        await api.patch(`/api/campaigns/${campaign.id}`, { destination_url: url }, { key }),
        await api.post('/api/links', { campaign_id: campaign.id, destination_url: url }, { key }),
        await api.patch(`/api/links/${link.id}`, { destination_url: url }, { key }),
      ];
      for (const reply of replies) {
        expect(reply.status, url).to.equal(400);
        expect(reply.body.error.details.map((d: { pointer: string }) => d.pointer), url).to.deep.equal(['/destination_url']);
      }
    }
    // Nothing was stored: the campaign and the link still send visitors where they did.
    expect((await api.get(`/api/links/${link.id}`, { key })).body.destination_url).to.equal(campaign.destination_url);
    expect((await api.get('/api/campaigns', { key })).body.data).to.have.length(1);
  });

  it('a 150 kB URL ending in a space is refused at once, without stalling other requests', async () => {
    const { api } = suite;
    const { key } = await api.workspace();
    const huge = `https://${'a'.repeat(150_000)} `;
    const started = Date.now();
    const [reply, health] = await Promise.all([
      api.post('/api/campaigns', { name: 'Huge', destination_url: huge }, { key }),
      api.get('/healthz'),
    ]);
    expect(reply.status).to.equal(400);
    expect(health.status).to.equal(200);
    // Before the one URL rule, a backtracking pattern took about 9 s here and held every other request.
    expect(Date.now() - started).to.be.below(2000);
  });

  it('an OAuth return_url follows the same rule', async () => {
    const { api } = suite;
    const { key } = await api.workspace();
    const reply = await api.post('/api/sources/oauth/stripe', { return_url: 'http://a:99999/' }, { key });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.details[0].pointer).to.equal('/return_url');
  });
});
