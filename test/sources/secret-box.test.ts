import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/sources/secret-box.js';
import { loadConfig } from '../../src/config.js';
import { testEnv } from '../support/service.js';

const keysOf = (encoded: string) => loadConfig(testEnv({ SYX_ENCRYPTION_KEY: encoded })).encryptionKeys;

describe('SecretBox', () => {
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');

  it('seals and opens, and the ciphertext reveals nothing of the secret', () => {
    const box = new SecretBox(keysOf(oldKey));
    const sealed = box.seal('sk_live_supersecret');
    expect(sealed).not.to.contain('supersecret');
    expect(box.open(sealed)).to.equal('sk_live_supersecret');
  });

  it('rotates: the first key seals, every listed key opens', () => {
    const sealedWithOld = new SecretBox(keysOf(oldKey)).seal('whsec_old');
    const rotated = new SecretBox(keysOf(`${newKey},${oldKey}`));
    expect(rotated.open(sealedWithOld)).to.equal('whsec_old');
    expect(new SecretBox(keysOf(newKey)).open(rotated.seal('whsec_new'))).to.equal('whsec_new');
  });

  it('refuses a ciphertext whose key is no longer listed, or that was altered', () => {
    const sealed = new SecretBox(keysOf(oldKey)).seal('whsec_x');
    expect(() => new SecretBox(keysOf(newKey)).open(sealed)).to.throw(/no longer lists/);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => new SecretBox(keysOf(oldKey)).open(parts.join('.'))).to.throw();
  });
});
