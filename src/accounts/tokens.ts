import { createHash, randomBytes } from 'node:crypto';

/** A secret for a cookie or a one-time link: 32 random bytes, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url');

/** What the database keeps of a token: a lookup key that cannot be used to sign in. */
export const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');
