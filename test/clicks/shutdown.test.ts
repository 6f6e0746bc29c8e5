import { expect } from 'chai';
import { BROWSER_UA } from '../support/http.js';
import { databaseEnv, logLines, startProcess } from '../support/processes.js';

describe('SIGTERM', () => {
  it('writes every pending click before exiting 0; after a restart all are counted', async function () {
    this.timeout(90_000);
    const database = databaseEnv('syx-shutdown-');
    // Clicks stay queued (no timed flush) until the shutdown writes them.
    const first = await startProcess({ ...database, SYX_CLICK_FLUSH_MS: '600000' });
    let link: { id: string; slug: string };
    let key: string;
    try {
      ({ key } = await first.api.workspace());
      link = await first.api.link(key, (await first.api.campaign(key)).id);
      for (let batch = 0; batch < 6; batch++) {
        const replies = await Promise.all(Array.from({ length: 50 }, () => first.api.get(`/c/${link.slug}`, { headers: { 'user-agent': BROWSER_UA } })));
        expect(replies.map((reply) => reply.status)).to.deep.equal(Array(50).fill(302));
      }
      expect((await first.api.get(`/api/links/${link.id}`, { key })).body.clicks).to.equal(0);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exit, first.output()).to.equal(0);
    const stopping = logLines(first.output()).find((line) => line.msg === 'stopping: flushing clicks');
    expect(stopping, first.output()).to.include({ signal: 'SIGTERM', pending_clicks: 300 });
    expect(logLines(first.output()).find((line) => line.msg === 'stopped')).to.include({ written: 300 });

    const second = await startProcess(database);
    try {
      expect((await second.api.get(`/api/links/${link.id}`, { key })).body.clicks).to.equal(300);
    } finally {
      second.child.kill('SIGTERM');
      await second.exit;
    }
  });
});
