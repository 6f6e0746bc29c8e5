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
        .select(Link.knex().raw('(SELECT count(*)::int FROM clicks WHERE clicks.link_id = links.id) AS clicks'));
    },
  };
}
