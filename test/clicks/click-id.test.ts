import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { ClickIds, CLICK_ID_PATTERN } from '../../src/clicks/click-id.js';

const LINK_ID = 'lnk_01M82ZXPHVN8SP9YZQNA8P85V7';
const SECRET = 'click-id-test-secret-0123456789abcdef';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same id with the character at `index` replaced by the next one of the click id alphabet. */
function withOneCharChanged(id: string, index: number): string {
  const next = ALPHABET[(ALPHABET.indexOf(id[index]) + 1) % ALPHABET.length];
  return id.slice(0, index) + next + id.slice(index + 1);
}

describe('click ids', () => {
  const clickIds = new ClickIds(SECRET);

  it("fits Stripe's client_reference_id and names its link and issue time", () => {
    const issuedAt = Date.parse('2026-03-01T12:00:00.123Z');
    const id = clickIds.mint(LINK_ID, issuedAt);
    expect(id).to.match(new RegExp(CLICK_ID_PATTERN)).and.match(/^[A-Za-z0-9_-]{16,64}$/);
    expect(clickIds.verify(id)).to.deep.equal({ linkId: LINK_ID, issuedAt: new Date(issuedAt) });
  });

  it('is unguessable: ids minted for one link at the same moment all differ', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 2_000 }, () => clickIds.mint(LINK_ID, now)));
    expect(ids.size).to.equal(2_000);
    for (const id of ids) expect(clickIds.verify(id)?.linkId).to.equal(LINK_ID);
  });

  it('is verified by another instance holding the same secret (a restart, a second server)', () => {
    const id = clickIds.mint(LINK_ID);
    expect(new ClickIds(SECRET).verify(id)?.linkId).to.equal(LINK_ID);
  });

  it('refuses an id with any single character changed', () => {
    const id = clickIds.mint(LINK_ID);
    for (let index = 0; index < id.length; index++) {
      const altered = withOneCharChanged(id, index);
      expect(clickIds.verify(altered), `character ${index} changed: ${altered}`).to.equal(null);
    }
  });

  it('refuses an id signed with another secret', () => {
    const foreign = new ClickIds('another-service-secret-0123456789abcdef').mint(LINK_ID);
    expect(foreign).to.match(new RegExp(CLICK_ID_PATTERN));
    expect(clickIds.verify(foreign)).to.equal(null);
  });

  it("refuses a genuine signature moved onto another link's id", () => {
    const id = clickIds.mint(LINK_ID);
    const otherLink = clickIds.mint('lnk_01M82ZXPHVN8SP9YZQNA8P85V8');
    expect(clickIds.verify(otherLink.slice(0, 26) + id.slice(26))).to.equal(null);
  });

  it('refuses random, truncated, extended and malformed strings', () => {
    const id = clickIds.mint(LINK_ID);
    const candidates = [
      '',
      'A'.repeat(58),
      randomBytes(43).toString('base64url').slice(0, 58),
      `01M82ZXPHVN8SP9YZQNA8P85V7${randomBytes(24).toString('base64url')}`,
      id.slice(0, -1),
      `${id}A`,
      `${id.slice(0, -1)}.`,
      `${id.slice(0, -1)}=`,
      id.toLowerCase(),
      ` ${id.slice(1)}`,
    ];
    for (const candidate of candidates) expect(clickIds.verify(candidate), candidate).to.equal(null);
    expect(clickIds.verify(undefined as unknown as string)).to.equal(null);
    expect(clickIds.verify(42 as unknown as string)).to.equal(null);
  });
});
