import type { Knex } from 'knex';
import type { Logger } from '../../logger.js';
import type { Accounts } from '../../accounts/accounts.js';
import type { Members } from '../../accounts/members.js';
import type { Sessions } from '../../accounts/sessions.js';
import type { Campaigns } from '../../campaigns/campaigns.js';
import type { CampaignSpend } from '../../campaigns/spend.js';
import type { Links } from '../../links/links.js';
import type { Sources } from '../../sources/sources.js';
import type { Connections } from '../../sources/connections.js';
import type { Conversions } from '../../conversions/conversions.js';
import type { Reports } from '../../reports/reports.js';
import type { DashboardAssets } from '../../dashboard/assets.js';
import type { OAuthApps } from '../../sources/credentials.js';

/** What the dashboard's routes call: the same domain objects as the API's. */
export interface DashboardDeps {
  db: Knex;
  logger: Logger;
  publicUrl: string;
  /** Cookies get `Secure` when the public URL is https. */
  secureCookies: boolean;
  assets: DashboardAssets;
  accounts: Accounts;
  sessions: Sessions;
  members: Members;
  campaigns: Campaigns;
  spend: CampaignSpend;
  links: Links;
  sources: Sources;
  connections: Connections;
  /** Which one-click connections the platform is configured for. */
  oauthApps: OAuthApps;
  conversions: Conversions;
  reports: Reports;
}
