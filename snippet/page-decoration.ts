/// <reference lib="dom" />
/**
 * Carries the click id into checkouts the merchant's server never creates: Stripe Payment Links, Buy Buttons
 * and pricing tables (Stripe copies client_reference_id onto the session), Polar checkout links (Polar keeps
 * only reference_id and utm_* from a link's query), Lemon Squeezy checkout links (their `checkout[custom]`
 * arrives as the order's custom data), and forms posted to the merchant's own server.
 */
// Anchors are narrowed in the selector so a page with thousands of links costs one native query.
const CHECKOUTS = 'a[href*="buy.stripe.com"],a[href*="polar.sh"],a[href*="lemonsqueezy.com"],stripe-buy-button,stripe-pricing-table,form[data-synaptyx]';
// buy.polar.sh/<link>, (sandbox-)api.polar.sh/v1/checkout-links/<link>/redirect, polar.sh/<org>/checkout,
// (sandbox.)polar.sh/checkout/<session>; not polar.sh/docs/.../checkout/...
const POLAR_CHECKOUT = /^(buy\.polar\.sh\/|([\w-]+\.)?polar\.sh\/(([\w-]+\/)?checkout(\/|$)|v1\/checkout-links\/))/;
// <store>.lemonsqueezy.com/checkout/buy/<variant> and its share links <store>.lemonsqueezy.com/buy/<id>.
const LEMON_CHECKOUT = /^[\w-]+\.lemonsqueezy\.com\/(checkout\/)?buy\//;
const INPUT = 'synaptyx_clickid';

function decorateLink(link: HTMLAnchorElement, id: string): void {
  const url = new URL(link.href);
  const path = url.host + url.pathname;
  const param = url.host == 'buy.stripe.com' ? 'client_reference_id' : POLAR_CHECKOUT.test(path) ? 'reference_id' : LEMON_CHECKOUT.test(path) ? 'checkout[custom][synaptyx_clickid]' : '';
  const query = url.searchParams;
  // A value already there is the merchant's own (their user id, say): theirs wins, we never overwrite it.
  if (!param || query.get(param)) return;
  // Edited as text, not through searchParams (which would re-encode every pair): the merchant's query stays
  // byte for byte, and an empty parameter (`?client_reference_id=`) is filled in place; one spelt another way
  // (percent-encoded) goes through searchParams.
  const search = url.search;
  if (!query.has(param)) url.search += `${search ? '&' : ''}${param}=${id}`;
  else if ((url.search = search.replace(new RegExp(`([?&]${param.replace(/[[\]]/g, '\\$&')})=?(?=&|$)`), `$1=${id}`)) == search) query.set(param, id);
  // Only a real change is written: the observer sees every write, and an unchanged one must not loop.
  if (link.href != url.href) link.href = url.href;
}

function decorateForm(form: HTMLFormElement, id: string): void {
  let input = form.querySelector<HTMLInputElement>(`input[name=${INPUT}]`);
  if (!input) {
    input = document.createElement('input');
    input.type = 'hidden';
    input.name = INPUT;
    form.appendChild(input);
  }
  if (input.value != id) input.value = id;
}

function decorateElement(element: Element, id: string): void {
  try {
    const tag = element.tagName;
    if (tag == 'A') decorateLink(element as HTMLAnchorElement, id);
    else if (tag == 'FORM') decorateForm(element as HTMLFormElement, id);
    else if (tag.startsWith('STRIPE-') && !element.getAttribute('client-reference-id')) element.setAttribute('client-reference-id', id);
  } catch {
    // one odd element (an unparsable href) must not stop the others
  }
}

/** Decorates `root` and everything under it; running it again changes nothing. */
export function decorate(root: Node, id: string): void {
  if (!(root instanceof Element || root instanceof Document)) return;
  if (root instanceof Element && root.matches(CHECKOUTS)) decorateElement(root, id);
  root.querySelectorAll(CHECKOUTS).forEach((element) => decorateElement(element, id));
}

/** Decorates the page now, when the parser is done, and whatever is added or re-pointed later. */
export function decorateContinuously(id: string): void {
  const page = () => decorate(document, id);
  page();
  if (document.readyState == 'loading') document.addEventListener('DOMContentLoaded', page);
  new MutationObserver((changes) => {
    try {
      for (const change of changes) {
        if (change.type == 'attributes') decorate(change.target, id);
        else change.addedNodes.forEach((node) => decorate(node, id));
      }
    } catch {
      // never into the page
    }
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['href', 'data-synaptyx'] });
}
