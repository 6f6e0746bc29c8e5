import { newId } from '../ids.js';
import { Workspace } from './models.js';
import { createApiKey } from './api-keys.js';

export interface WorkspaceView {
  id: string;
  name: string;
  created_at: string;
}

export function presentWorkspace(workspace: Workspace): WorkspaceView {
  return { id: workspace.id, name: workspace.name, created_at: workspace.created_at.toISOString() };
}

/** A new workspace and its first API key (shown once). */
export async function createWorkspace(name: string): Promise<{ workspace: WorkspaceView; api_key: string }> {
  return Workspace.transaction(async (trx) => {
    const workspace = await Workspace.query(trx).insertAndFetch({ id: newId('ws'), name });
    const { key } = await createApiKey(workspace.id, trx);
    return { workspace: presentWorkspace(workspace), api_key: key };
  });
}
