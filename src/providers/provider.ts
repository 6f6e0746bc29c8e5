/**
 * The one interface every payment provider implements. Nothing outside src/providers/ knows a provider's
 * field names: adapters verify deliveries and turn events into the neutral facts below.
 */
export type ProviderName = 'stripe' | 'polar' | 'lemonsqueezy' | 'paddle';

/** The one table of providers: each one's name for a person, in messages and pages. */
export const PROVIDER_NAMES: Record<ProviderName, string> = { stripe: 'Stripe', polar: 'Polar', lemonsqueezy: 'Lemon Squeezy', paddle: 'Paddle' };

export const PROVIDERS = Object.keys(PROVIDER_NAMES) as ProviderName[];

/** True for a provider Synaptyx speaks to (a path segment, a request field). */
export const isProviderName = (name: string): name is ProviderName => Object.hasOwn(PROVIDER_NAMES, name);

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
  /** The provider marked the event as test-mode data (Lemon Squeezy `test_mode`): it counts only for a test source. */
  testMode?: boolean;
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
  /** The click id the checkout carried: `synaptyx_clickid` in the metadata or custom data of the sale or its subscription. */
  clickId: string | null;
  /** Stripe `client_reference_id` / Polar `metadata.reference_id`. */
  clientReferenceId: string | null;
  customerId: string | null;
  /** Human coupon / promotion codes present in the payload itself. */
  couponCodes: string[];
  /** Set when codes are only ids in the payload and need an API call: what to look them up by (a checkout session, an order, a discount). */
  couponLookup: string | null;
  /**
   * Set when the payment a later refund or dispute will name is only known to the provider's API (Stripe: a
   * current-shape invoice sent without its `payments`; Lemon Squeezy: the order of a subscription): the id to look it up by.
   */
  paymentLookup: string | null;
  /**
   * Only the look-up can tell whether this report is a sale already counted (Lemon Squeezy's first subscription
   * invoice, the same payment as its order): when it fails, nothing is stored and the provider retries.
   */
  paymentLookupRequired?: boolean;
  /** A subscription renewal (`subscription_cycle`, `renewal`, `subscription_recurring`): a new sale with goal `renewal`. */
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
  /** When the refund was made (the refund object's own time), if the provider says. */
  createdAt: Date | null;
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
  /** Every event type the adapter reads (sales, refunds, disputes...): what a merchant enables on an endpoint they make. */
  readonly webhookEvents?: readonly string[];
  /** Verifies a delivery with the provider's SDK; throws InvalidSignature for a bad or stale one. */
  verify(delivery: WebhookDelivery, signingSecret: string): Promise<ProviderEvent>;
  normalize(event: ProviderEvent): NormalizedEvent;
  /** Human codes behind `order.couponLookup` (Stripe promotion codes), through the provider's API. */
  resolveCouponCodes(order: OrderFacts, credentials: ApiCredentials): Promise<string[]>;
  /** The payment ids behind `order.paymentLookup` (Stripe invoice payments, a Lemon Squeezy subscription's order), through the provider's API. */
  resolvePaymentRefs(order: OrderFacts, credentials: ApiCredentials): Promise<string[]>;
  /** Reconciliation: paid sales since a moment, shaped as the events that would have reported them. */
  listRecentSales(credentials: ApiCredentials, since: Date): AsyncIterable<ProviderEvent>;
  /**
   * API-key mode: asks the provider what a merchant's key reaches before anything is stored; throws OAuthRefused
   * when it refuses the key. Null when the adapter has nothing to ask (Stripe; a key given with its webhook secret
   * where the provider has no test mode to learn).
   */
  checkKey(apiKey: string, purpose: { creatingWebhook: boolean }): Promise<KeyAccount | null>;
  /** API-key mode: creates the webhook endpoint for `url` with every event the adapter reads; null where the merchant must (Stripe). */
  provisionWebhook(credentials: ApiCredentials, url: string, account: KeyAccount | null): Promise<ProvisionedWebhook | null>;
  /** Deletes an endpoint provisionWebhook created; one already gone counts as deleted. */
  removeWebhook(credentials: ApiCredentials, webhookId: string): Promise<void>;
}

/** What a merchant's API key reaches, as the provider answers for it. */
export interface KeyAccount {
  /** The account (organization, store) the key reaches, where the provider names one. */
  accountId: string | null;
  accountName: string | null;
  /** A key of the provider's test mode: the source counts test-mode events, and only those. */
  testMode: boolean;
}

/** Tokens from a provider's OAuth token endpoint. */
export interface OAuthTokens {
  accessToken: string;
  /** Polar rotates it on every refresh (the old one is revoked); Stripe Connect's is never needed. */
  refreshToken: string | null;
  /** Null when the token does not expire (Stripe Connect). */
  expiresAt: Date | null;
}

/** A completed one-click authorisation: the account it reaches and the tokens that reach it. */
export interface OAuthGrant extends OAuthTokens {
  /** Stripe `stripe_user_id`, Polar organization id: routes Connect events and finds the source on re-connect. */
  accountId: string;
  accountName: string | null;
}

/** A connected account as stored, with its tokens opened. */
export interface OAuthConnection {
  accountId: string;
  accessToken: string;
  refreshToken: string | null;
}

/** A webhook endpoint the platform created on the merchant's account; the secret verifies its deliveries. */
export interface ProvisionedWebhook {
  /** The provider's id of the endpoint, as the adapter needs it to delete it again. */
  id: string;
  secret: string;
}

/** The provider refused a code, a token or an API key (declined, expired, revoked): trying again will not help. */
export class OAuthRefused extends Error {}

/** The provider could not be reached or answered an error: worth trying again later. */
export class ProviderUnavailable extends Error {}

/** The platform's OAuth app at one provider (Stripe Connect, Polar OAuth2); exists only once configured. */
export interface OAuthApp {
  readonly provider: ProviderName;
  /** Where the merchant's browser goes to grant access. */
  authorizeUrl(params: { state: string; redirectUri: string }): string;
  /** Exchanges the callback's code and finds the account it grants. */
  exchange(code: string, redirectUri: string): Promise<OAuthGrant>;
  /** Null for tokens that never expire; else fresh tokens (the refresh token may rotate). */
  refresh(refreshToken: string): Promise<OAuthTokens | null>;
  /** Creates the account's webhook endpoint where the provider lets the platform (Polar); null elsewhere. */
  provisionWebhook(connection: OAuthConnection, url: string): Promise<ProvisionedWebhook | null>;
  removeWebhook(connection: OAuthConnection, webhookId: string): Promise<void>;
  /** Ends the platform's access to the account at the provider. */
  revoke(connection: OAuthConnection): Promise<void>;
  /** How API calls reach the account: the platform key acting as it (Stripe), or its own token (Polar). */
  credentials(connection: OAuthConnection): ApiCredentials;
}
