import type { Static, TSchema } from '@sinclair/typebox';
import type { CampaignView as PresentedCampaign } from '../campaigns/campaigns.js';
import type { CampaignView } from '../campaigns/schemas.js';
import type { LinkView as PresentedLink } from '../links/links.js';
import type { LinkView } from '../links/schemas.js';
import type { ConversionView as PresentedConversion } from '../conversions/conversions.js';
import type { ConversionView } from '../conversions/schemas.js';
import type { SourceView as PresentedSource } from '../sources/sources.js';
import type { ProviderDisconnect } from '../sources/connections.js';
import type { EventMapping } from '../providers/provider.js';
import type { DisconnectedSource, EventMappings, OAuthStart, SourceView } from '../sources/schemas.js';
import type { WebhookLogView as PresentedWebhookLog } from '../webhooks/logs.js';
import type { WebhookLogView } from '../webhooks/schemas.js';
import type { WorkspaceView as PresentedWorkspace } from '../workspaces/workspaces.js';
import type { CreatedWorkspace, WorkspaceView } from '../workspaces/schemas.js';
import type { SpendEntry } from '../campaigns/spend.js';
import type { CampaignSpendView } from '../campaigns/schemas.js';
import type { Report } from '../reports/reports.js';
import type { ReportView } from '../reports/schemas.js';

/**
 * The views the domain presents are exactly the response schemas /openapi.json publishes: a field added to, or
 * typed differently in, one and not the other fails to compile here. (The views are declared in domain files this
 * module does not own, so they are checked rather than derived with Static<>.)
 */
type Flat<T> = T extends object ? { [K in keyof T]: Flat<T[K]> } : T;
type Same<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends (<T>() => T extends Flat<B> ? 1 : 2) ? true : false;
type Agree<Presented, Schema extends TSchema> = Same<Presented, Static<Schema>>;
type Assert<T extends true> = T;

export type ViewsMatchTheirSchemas = [
  Assert<Agree<PresentedCampaign, typeof CampaignView>>,
  Assert<Agree<PresentedLink, typeof LinkView>>,
  Assert<Agree<PresentedConversion, typeof ConversionView>>,
  Assert<Agree<PresentedSource, typeof SourceView>>,
  Assert<Agree<PresentedSource & { provider_disconnect: ProviderDisconnect }, typeof DisconnectedSource>>,
  Assert<Agree<EventMapping[], typeof EventMappings>>,
  Assert<Agree<{ authorize_url: string }, typeof OAuthStart>>,
  Assert<Agree<PresentedWebhookLog, typeof WebhookLogView>>,
  Assert<Agree<PresentedWorkspace, typeof WorkspaceView>>,
  Assert<Agree<{ workspace: PresentedWorkspace; api_key: string }, typeof CreatedWorkspace>>,
  Assert<Agree<SpendEntry[], typeof CampaignSpendView>>,
  Assert<Agree<Report, typeof ReportView>>,
];
