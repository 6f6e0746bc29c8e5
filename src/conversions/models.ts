import { Model } from 'objection';
import type { DisputeStatus } from '../providers/provider.js';

export type ConversionStatus = 'paid' | 'partially_refunded' | 'refunded' | 'disputed';
export type Attribution = 'metadata' | 'client_reference_id' | 'customer' | 'coupon' | 'server';

export interface RefundRecord {
  amount: number;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  /** When the provider reported this state. */
  at: string;
  /** When the refund was made, where the provider says. */
  created_at?: string;
}

export interface DisputeRecord {
  amount: number;
  status: DisputeStatus;
  at: string;
}

export class Conversion extends Model {
  static override tableName = 'conversions';
  static override jsonAttributes = ['refunds', 'disputes'];
  declare id: string;
  declare workspace_id: string;
  declare source_id: string | null;
  declare campaign_id: string | null;
  declare link_id: string | null;
  declare click_id: string | null;
  declare first_click_id: string | null;
  declare first_link_id: string | null;
  declare first_campaign_id: string | null;
  declare goal: string;
  declare provider_order_id: string;
  declare customer_id: string | null;
  declare amount: number;
  declare refunded_amount: number;
  declare disputed_amount: number;
  declare currency: string;
  declare status: ConversionStatus;
  declare attribution: Attribution | null;
  declare reported_refunded_amount: number;
  /** When the provider reported that cumulative figure: a newer one replaces it. */
  declare reported_refunded_at: Date | string | null;
  declare refunds: Record<string, RefundRecord>;
  declare disputes: Record<string, DisputeRecord>;
  declare created_at: Date;
  declare updated_at: Date;
}
