import { Model } from 'objection';

export class CouponCode extends Model {
  static override tableName = 'coupon_codes';
  static override idColumn = ['workspace_id', 'code'];
  declare workspace_id: string;
  declare campaign_id: string;
  declare code: string;
  declare position: number;
}

export class Campaign extends Model {
  static override tableName = 'campaigns';
  declare id: string;
  declare workspace_id: string;
  declare name: string;
  declare destination_url: string | null;
  declare created_at: Date;
  declare updated_at: Date;
  declare archived_at: Date | null;
  declare coupon_codes?: CouponCode[];

  static override relationMappings = () => ({
    coupon_codes: {
      relation: Model.HasManyRelation,
      modelClass: CouponCode,
      join: { from: 'campaigns.id', to: 'coupon_codes.campaign_id' },
    },
  });

  static override modifiers = {
    active(query: ReturnType<typeof Campaign.query>) {
      query.whereNull('campaigns.archived_at');
    },
  };
}
