/**
 * The one interface every payment provider implements. Nothing outside src/providers/ knows a provider's
 * field names: adapters verify deliveries and turn events into the neutral facts below.
 */
export type ProviderName = 'stripe' | 'polar';

export interface WebhookDelivery {
  /** The exact bytes the provider sent: signatures are over these, never over re-serialised JSON. */
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** A delivery whose signature and timestamp checked out. */
export interface ProviderEvent {
  /** The provider's event / message id: the de-duplication key. */
  id: string;
  type: string;
  /** Stripe Connect: the connected account the event belongs to (top-level `account`). */
  account: string | null;
  createdAt: Date;
  /** The parsed body, for the adapter's normalise(). */
  body: unknown;
}

/** Thrown by verify() for a bad, missing or stale signature. */
export class InvalidSignature extends Error {}

/** A sale the provider reports as paid. Amounts are integer minor units. */
export interface OrderFacts {
  /** The canonical payment key, unique per source: a subscription's checkout and first invoice share it. */
  orderId: string;
  /** Every provider id a later refund or dispute may name (payment intent, charge, invoice, session, order). */
  refs: string[];
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** `metadata.synaptyx_clickid` on the session / order / subscription / payment intent. */
  clickId: string | null;
  /** Stripe `client_reference_id` / Polar `metadata.reference_id`. */
  clientReferenceId: string | null;
  customerId: string | null;
  /** Human coupon / promotion codes present in the payload itself. */
  couponCodes: string[];
  /** Set when codes are only ids in the payload and need an API call (Stripe: the checkout session id). */
  couponLookup: string | null;
  /** A subscription renewal (`subscription_cycle`): a new sale with goal `renewal`. */
  renewal: boolean;
  /** The first payment of a subscription reported by an invoice (the checkout reports the same sale). */
  initialSubscriptionPayment: boolean;
  /** Cumulative refunded amount the provider reports with the order (Polar `refunded_amount`), if any. */
  refundedAmount: number | null;
  occurredAt: Date;
}

/** One refund, by id: amounts are summed per refund so a repeated or reordered event cannot count twice. */
export interface RefundFacts {
  refs: string[];
  refundId: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  occurredAt: Date;
}

/** The provider's cumulative refunded figure for a payment (Stripe `charge.amount_refunded`): set, never add. */
export interface RefundTotalFacts {
  refs: string[];
  refundedAmount: number;
  currency: string;
  occurredAt: Date;
}

export type DisputeStatus = 'open' | 'won' | 'lost' | 'closed';

/** One dispute, by id. `open` holds its amount, `won`/`closed` (inquiry) release it, `lost` makes it final. */
export interface DisputeFacts {
  refs: string[];
  disputeId: string;
  amount: number;
  currency: string;
  status: DisputeStatus;
  occurredAt: Date;
}

/** A subscription's metadata, remembered so the customer's later orders follow its click. */
export interface SubscriptionFacts {
  subscriptionId: string;
  customerId: string | null;
  clickId: string | null;
  clientReferenceId: string | null;
}

export type NormalizedEvent =
  | { kind: 'order'; order: OrderFacts }
  | { kind: 'refund'; refund: RefundFacts }
  | { kind: 'refund_total'; refundTotal: RefundTotalFacts }
  | { kind: 'dispute'; dispute: DisputeFacts }
  | { kind: 'subscription'; subscription: SubscriptionFacts }
  | { kind: 'account_deauthorized'; accountId: string }
  /** A known event that is not (yet) a sale: unpaid session, setup mode, zero total... `reason` says which. */
  | { kind: 'not_a_sale'; reason: string }
  | { kind: 'unsupported' };

/** What an API call needs: the source's own key, or the platform key acting for a connected account. */
export interface ApiCredentials {
  apiKey: string;
  /** Stripe Connect: act as this connected account (`stripeAccount` request option). */
  connectedAccount?: string | null;
}

export interface EventMapping {
  event_type: string;
  action: 'conversion' | 'ignore';
  goal?: string;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Event types this adapter understands, with the default mapping for each. */
  readonly defaultMappings: EventMapping[];
  /** Verifies a delivery with the provider's SDK; throws InvalidSignature for a bad or stale one. */
  verify(delivery: WebhookDelivery, signingSecret: string): Promise<ProviderEvent>;
  normalize(event: ProviderEvent): NormalizedEvent;
  /** Human codes behind `order.couponLookup` (Stripe promotion codes), through the provider's API. */
  resolveCouponCodes(order: OrderFacts, credentials: ApiCredentials): Promise<string[]>;
}
