import { Model } from 'objection';
import { Campaign } from '../campaigns/models.js';

export class Link extends Model {
  static override tableName = 'links';
  declare id: string;
  declare workspace_id: string;
  declare campaign_id: string;
  declare slug: string;
  declare destination_url: string | null;
  declare created_at: Date;
  declare updated_at: Date;
  declare archived_at: Date | null;
  declare campaign?: Campaign;
  /** Filled by the `withClicks` modifier. */
  declare clicks?: number;

  static override relationMappings = () => ({
    campaign: {
      relation: Model.BelongsToOneRelation,
      modelClass: Campaign,
      join: { from: 'links.campaign_id', to: 'campaigns.id' },
    },
  });

  static override modifiers = {
    withClicks(query: ReturnType<typeof Link.query>) {
      query
        .select('links.*')
        // From the daily counts the click writer keeps in the clicks' own transaction: at most a row a day, never a scan of clicks.
        .select(Link.knex().raw('(SELECT coalesce(sum(d.clicks), 0)::int FROM link_clicks_daily d WHERE d.workspace_id = links.workspace_id AND d.link_id = links.id) AS clicks'));
    },
  };
}
