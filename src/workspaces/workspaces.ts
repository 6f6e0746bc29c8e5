import type { Knex } from 'knex';
import { newId } from '../ids.js';
import { notFound } from '../errors.js';
import { Workspace } from './models.js';
import { createApiKey } from './api-keys.js';

export type AttributionModel = 'last_click' | 'first_click';

export interface WorkspaceView {
  id: string;
  name: string;
  /** IANA time zone that reports use for days, weeks and months (default UTC). */
  timezone: string;
  /** Which click of a visitor's chain a sale is credited to in reports, unless a report says otherwise. */
  attribution_model: AttributionModel;
  created_at: string;
}

export interface WorkspaceSettings {
  name?: string;
  timezone?: string;
  attribution_model?: AttributionModel;
}

export function presentWorkspace(workspace: Workspace): WorkspaceView {
  return {
    id: workspace.id,
    name: workspace.name,
    timezone: workspace.timezone,
    attribution_model: workspace.attribution_model,
    created_at: workspace.created_at.toISOString(),
  };
}

/** A new workspace and its first API key (shown once). */
export async function createWorkspace(name: string): Promise<{ workspace: WorkspaceView; api_key: string }> {
  return Workspace.transaction(async (trx) => {
    const workspace = await insertWorkspace(name, trx);
    const { key } = await createApiKey(workspace.id, trx);
    return { workspace, api_key: key };
  });
}

/** A new workspace with no API key (one made from the dashboard, whose owner creates keys when a script needs one). */
export async function insertWorkspace(name: string, trx?: Knex.Transaction): Promise<WorkspaceView> {
  return presentWorkspace(await Workspace.query(trx).insertAndFetch({ id: newId('ws'), name }));
}

export async function getWorkspace(id: string): Promise<WorkspaceView> {
  const workspace = await Workspace.query().findById(id);
  if (!workspace) throw notFound('workspace');
  return presentWorkspace(workspace);
}

/** Changes the workspace's name, time zone or attribution model (validated by the route's schema). */
export async function updateWorkspace(id: string, settings: WorkspaceSettings): Promise<WorkspaceView> {
  const workspace = await Workspace.query().findById(id);
  if (!workspace) throw notFound('workspace');
  return presentWorkspace(await workspace.$query().patchAndFetch(settings));
}
