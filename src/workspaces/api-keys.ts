import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { newId } from '../ids.js';
import { notFound } from '../errors.js';
import { ApiKey, Workspace } from './models.js';

const PREFIX_LENGTH = 12; // "syx_" + 8 characters: enough to find the row, too little to guess the key.

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** Creates a key for a workspace. The plain key is returned once; only its hash is stored. */
export async function createApiKey(workspaceId: string, trx?: Knex.Transaction): Promise<{ key: string; prefix: string }> {
  const workspace = await Workspace.query(trx).findById(workspaceId);
  if (!workspace) throw notFound('workspace');
  const key = `syx_${randomBytes(24).toString('base64url')}`;
  const prefix = key.slice(0, PREFIX_LENGTH);
  await ApiKey.query(trx).insert({
    id: newId('key'),
    workspace_id: workspaceId,
    prefix,
    key_hash: hashKey(key).toString('hex'),
  });
  return { key, prefix };
}

/** Revokes the key with this prefix (the first 12 characters of the key). */
export async function revokeApiKey(prefix: string): Promise<ApiKey> {
  const apiKey = await ApiKey.query().findOne({ prefix }).whereNull('revoked_at');
  if (!apiKey) throw notFound('active API key with that prefix');
  return apiKey.$query().patchAndFetch({ revoked_at: new Date() });
}

/** The workspace a presented key belongs to, or null for a wrong, unknown or revoked key. */
export async function workspaceForKey(key: string): Promise<string | null> {
  if (!key.startsWith('syx_') || key.length < PREFIX_LENGTH + 8) return null;
  const apiKey = await ApiKey.query().findOne({ prefix: key.slice(0, PREFIX_LENGTH) }).whereNull('revoked_at');
  if (!apiKey) return null;
  const matches = timingSafeEqual(hashKey(key), Buffer.from(apiKey.key_hash, 'hex'));
  return matches ? apiKey.workspace_id : null;
}

export interface ApiKeyView {
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

/** A workspace's keys as a page lists them: prefixes only; the keys themselves were shown once. */
export async function listApiKeys(workspaceId: string): Promise<ApiKeyView[]> {
  const keys = await ApiKey.query().where({ workspace_id: workspaceId }).orderBy('created_at', 'desc');
  return keys.map((key) => ({ prefix: key.prefix, created_at: key.created_at.toISOString(), revoked_at: key.revoked_at?.toISOString() ?? null }));
}

/** Revokes one of the workspace's own keys (another workspace's prefix is not found). */
export async function revokeWorkspaceKey(workspaceId: string, prefix: string): Promise<void> {
  const revoked = await ApiKey.query().where({ workspace_id: workspaceId, prefix }).whereNull('revoked_at').patch({ revoked_at: new Date() });
  if (!revoked) throw notFound('active API key with that prefix');
}
