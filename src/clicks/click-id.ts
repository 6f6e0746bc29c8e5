import { createHmac, createSecretKey, randomFillSync, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * A click id carries its link and issue time, signed: `<link ulid 26>` + base64url(`time 6 | nonce 6 | mac 12`),
 * 58 characters of [A-Za-z0-9_-]. The service can verify one and find its link without reading the database,
 * so attribution works even for a click whose row has not been written yet.
 */
export interface ClickIdClaims {
  linkId: string;
  issuedAt: Date;
}

const LINK_PART = 26;
const TAIL_BYTES = 24;
export const CLICK_ID_PATTERN = '^[A-Za-z0-9_-]{16,64}$';
const SHAPE = /^[0-9A-HJKMNP-TV-Z]{26}[A-Za-z0-9_-]{32}$/;

export class ClickIds {
  // A KeyObject, imported once: createHmac with a raw Buffer re-imports the key on every click.
  private readonly key: KeyObject;
  // Nonces come from a pooled random buffer: one getrandom call per 512 clicks instead of one per click.
  private readonly pool = Buffer.alloc(6 * 512);
  private poolOffset = this.pool.length;

  constructor(secret: string) {
    this.key = createSecretKey(createHmac('sha256', secret).update('synaptyx click id v1').digest());
  }

  mint(linkId: string, issuedAt = Date.now()): string {
    const linkPart = linkId.slice(4); // strip "lnk_"
    const tail = Buffer.allocUnsafe(TAIL_BYTES);
    tail.writeUIntBE(issuedAt, 0, 6);
    if (this.poolOffset === this.pool.length) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    this.pool.copy(tail, 6, this.poolOffset, (this.poolOffset += 6));
    this.mac(linkPart, tail).copy(tail, 12, 0, 12);
    return linkPart + tail.toString('base64url');
  }

  /** The claims of a click id this service issued, or null for anything forged, altered or malformed. */
  verify(clickId: string): ClickIdClaims | null {
    if (typeof clickId !== 'string' || !SHAPE.test(clickId)) return null;
    const linkPart = clickId.slice(0, LINK_PART);
    const tail = Buffer.from(clickId.slice(LINK_PART), 'base64url');
    const expected = this.mac(linkPart, tail).subarray(0, 12);
    if (!timingSafeEqual(expected, tail.subarray(12))) return null;
    return { linkId: `lnk_${linkPart}`, issuedAt: new Date(tail.readUIntBE(0, 6)) };
  }

  private mac(linkPart: string, tail: Buffer): Buffer {
    return createHmac('sha256', this.key).update(linkPart).update(tail.subarray(0, 12)).digest();
  }
}
