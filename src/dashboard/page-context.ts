import type { SignedIn } from '../accounts/sessions.js';
import type { Role } from '../accounts/models.js';
import type { DashboardAssets } from './assets.js';

/** A source that needs the merchant's attention, named on every page. */
export interface SourceWarning {
  sourceId: string;
  name: string;
  status: string;
  reason: string;
}

/** What every signed-in page's layout shows: who, which workspace, what needs attention, and the CSRF token. */
export interface PageContext {
  signedIn: SignedIn;
  workspaces: { id: string; name: string; role: Role }[];
  warnings: SourceWarning[];
  /** A one-line confirmation of what the last form did. */
  flash: string | null;
  assets: DashboardAssets;
  /** The request's path, for marking the current navigation link. */
  path: string;
}

/** Form fields' problems by field name, and a summary: what a page shows after a refused form. */
export interface FormErrors {
  message: string;
  fields: Record<string, string>;
}
