import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../support/processes.js';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** What a newcomer runs (`npm start` on a fresh clone): the embedded database, whatever database the suite uses. */
describe('the embedded database\'s memory', function () {
  this.timeout(120_000);

  it('a fresh data dir is created without keeping its builder in memory, and malformed bodies do not grow the process', async () => {
    const service = await startProcess({ SYX_DATA_DIR: mkdtempSync(join(tmpdir(), 'syx-memory-')) });
    try {
      const pid = service.child.pid!;
      const started = rssMb(pid);
      // PGlite builds a new database in a second instance; kept in the service's heap it made about 850 MB.
      expect(started, `RSS after a fresh start: ${started.toFixed(0)} MB`).to.be.below(650);
      const { key } = await service.api.workspace();
      const nested = '['.repeat(500_000) + ']'.repeat(500_000);
      const before = rssMb(pid);
      let peak = before;
      for (let round = 0; round < 10; round++) {
        const replies = await Promise.all(Array.from({ length: 5 }, () =>
          service.api.post('/api/campaigns', undefined, { key, raw: nested, headers: { 'content-type': 'application/json' } })));
        expect(replies.every((reply) => reply.status === 400)).to.equal(true);
        peak = Math.max(peak, rssMb(pid));
      }
      const growth = peak - before;
      console.log(`      embedded start ${started.toFixed(0)} MB; peak growth under 50 nested 1 MB bodies ${Math.max(0, growth).toFixed(0)} MB`);
      expect(growth).to.be.below(100);
    } finally {
      await service.stop();
    }
  });
});
