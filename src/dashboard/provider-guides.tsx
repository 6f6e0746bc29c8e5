import type { ComponentChildren } from 'preact';

/** One way a merchant's checkout carries the click id, as the source's page explains it. */
export interface InstallStep {
  title: string;
  text: ComponentChildren;
  /** A sample to copy, when the merchant writes code for it. */
  code?: string;
}

/** What the pages tell a merchant about one provider: where its settings are and how its checkouts carry the click. */
export interface ProviderGuide {
  /** Synaptyx can make the webhook endpoint with the key itself (API.md), so the secret may be left out. */
  createsEndpoint: boolean;
  apiKeyHint: string;
  secretHint: string;
  /** Making the webhook endpoint at the provider, in the merchant's words; the URL and the events follow. */
  endpointSteps: string[];
  install: InstallStep[];
}

const FORM_STEP: InstallStep = {
  title: 'A plain HTML form',
  text: (
    <>
      Mark the form that starts your checkout with <code>data-synaptyx</code> (<code>{'<form data-synaptyx action="/create-checkout" method="post">'}</code>): the
      tag adds a hidden <code>synaptyx_clickid</code> field to it. Read that field on your server and pass it on as shown above.
    </>
  ),
};

const STRIPE_CHECKOUT = `// In the page: send the click id with the request that starts checkout
const payload = { price: 'price_123' };
const body = window.synaptyx?.attach?.(payload) ?? payload;
await fetch('/create-checkout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

// On your server (Node)
app.post('/create-checkout', async (req, res) => {
  const clickId = req.body.metadata?.synaptyx_clickid ?? req.body.synaptyx_clickid;
  const metadata = clickId ? { synaptyx_clickid: clickId } : {};
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: 'price_123', quantity: 1 }],
    metadata,
    client_reference_id: clickId, // optional: a second place Synaptyx looks
    success_url: 'https://shop.example.com/thanks',
  });
  res.json({ url: session.url });
});
// mode: 'subscription'? Add subscription_data: { metadata }, so that renewals stay attributed.`;

const POLAR_CHECKOUT = `// In the page: send the click id with the request that starts checkout
const body = window.synaptyx?.attach?.({}) ?? {};
await fetch('/create-checkout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

// On your server (Node, @polar-sh/sdk)
app.post('/create-checkout', async (req, res) => {
  const clickId = req.body.metadata?.synaptyx_clickid ?? req.body.synaptyx_clickid;
  const checkout = await polar.checkouts.create({
    products: ['<product id>'],
    metadata: clickId ? { synaptyx_clickid: clickId } : {},
    successUrl: 'https://shop.example.com/thanks',
  });
  res.json({ url: checkout.url });
});`;

const GUIDES: Record<string, ProviderGuide> = {
  stripe: {
    createsEndpoint: false,
    apiKeyHint: 'A restricted key (rk_…) with read access is enough: Synaptyx only reads checkout sessions, invoices and promotion codes (for coupons and to catch sales whose webhook never came). A secret key (sk_…) works too.',
    secretHint: "The endpoint's signing secret: it starts with whsec_.",
    endpointSteps: [
      'In the Stripe Dashboard, open Developers → Webhooks and add an endpoint (a destination for events on your account).',
      'Give it the endpoint URL below and select the events below, then save it.',
      'Reveal the signing secret of the new endpoint and paste it into this form.',
    ],
    install: [
      {
        title: 'Stripe Checkout, created on your server',
        text: (
          <>
            In the page, <code>synaptyx.attach(payload)</code> adds the click id to what you send your server. Your server puts it in the Checkout Session's{' '}
            <code>metadata</code> (and in <code>subscription_data.metadata</code> for a subscription), or in <code>client_reference_id</code>.
          </>
        ),
        code: STRIPE_CHECKOUT,
      },
      {
        title: 'Payment Links, Buy Buttons and pricing tables',
        text: (
          <>
            Nothing more to do: on your pages the tag adds <code>client_reference_id</code> to Payment Links (<code>buy.stripe.com/…</code>) and{' '}
            <code>client-reference-id</code> to <code>{'<stripe-buy-button>'}</code> and <code>{'<stripe-pricing-table>'}</code>, also to those added later, and
            Stripe copies it into the checkout. A <code>client_reference_id</code> you set yourself is kept, but then Synaptyx cannot see the click on that
            checkout.
          </>
        ),
      },
      FORM_STEP,
    ],
  },
  polar: {
    createsEndpoint: true,
    apiKeyHint: 'An organization access token (Polar: Settings → Developers) that can read orders, refunds and discounts.',
    secretHint: "The endpoint's secret, as Polar shows it (polar_whs_…).",
    endpointSteps: [
      "In Polar, open your organization's Settings → Webhooks and add an endpoint.",
      'Give it the URL below, choose the Raw format, and select the events below.',
      "Copy the endpoint's secret and paste it into this form.",
    ],
    install: [
      {
        title: 'Polar checkout links',
        text: (
          <>
            Nothing more to do: on your pages the tag adds <code>reference_id</code> to Polar checkout links, and Polar copies it into the order's metadata.
            A <code>reference_id</code> you set yourself is kept, but then Synaptyx cannot see the click on that checkout.
          </>
        ),
      },
      {
        title: 'Polar checkout, created on your server',
        text: (
          <>
            In the page, <code>synaptyx.attach(payload)</code> adds the click id to what you send your server; your server puts it in the checkout's{' '}
            <code>metadata</code> as <code>synaptyx_clickid</code>.
          </>
        ),
        code: POLAR_CHECKOUT,
      },
      FORM_STEP,
    ],
  },
  lemonsqueezy: {
    createsEndpoint: true,
    apiKeyHint: 'An API key (Lemon Squeezy: Settings → API).',
    secretHint: 'The signing secret you chose for the webhook.',
    endpointSteps: [
      'In Lemon Squeezy, open Settings → Webhooks and add a webhook with a signing secret of your choice.',
      'Give it the URL below and tick the events below.',
      'Paste the same signing secret into this form.',
    ],
    install: [
      {
        title: 'Lemon Squeezy checkout links',
        text: <>Nothing more to do: on your pages the tag adds <code>checkout[custom][synaptyx_clickid]</code> to your checkout links.</>,
      },
      {
        title: 'A checkout created through the Lemon Squeezy API',
        text: <>Pass your checkout payload through <code>synaptyx.attach(payload)</code>: it sets <code>checkout_data.custom.synaptyx_clickid</code>.</>,
      },
    ],
  },
  paddle: {
    createsEndpoint: true,
    apiKeyHint: 'An API key (Paddle: Developer tools → Authentication).',
    secretHint: "The notification destination's secret key.",
    endpointSteps: [
      'In Paddle, open Developer tools → Notifications and add a webhook destination.',
      'Give it the URL below and select the events below.',
      'Copy its secret key and paste it into this form.',
    ],
    install: [
      {
        title: 'Paddle.js checkout',
        text: <>Open the checkout with the payload passed through the tag: <code>{'Paddle.Checkout.open(synaptyx.attach({ items: [...] }))'}</code> sets <code>customData.synaptyx_clickid</code>.</>,
      },
    ],
  },
};

/** The guide for a provider; one without its own (a provider added since) gets the steps every provider shares. */
export function guideFor(provider: string, name: string): ProviderGuide {
  return GUIDES[provider] ?? {
    createsEndpoint: false,
    apiKeyHint: `An API key of your ${name} account that can read its orders.`,
    secretHint: `The signing secret ${name} shows for the webhook endpoint.`,
    endpointSteps: [`In ${name}, add a webhook endpoint with the URL below and the events below.`, 'Paste its signing secret into this form.'],
    install: [
      {
        title: `${name} checkout`,
        text: <>Pass the payload that creates your checkout through <code>synaptyx.attach(payload)</code>, or send <code>synaptyx.clickId()</code> to your server and put it in the checkout's metadata as <code>synaptyx_clickid</code>.</>,
      },
    ],
  };
}
