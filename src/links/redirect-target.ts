/**
 * Where a tracked link sends a visitor, split once around the click id so the hot path only concatenates:
 * `before + clickId + after` keeps the destination's own query and fragment.
 */
export interface RedirectTarget {
  linkId: string;
  workspaceId: string;
  campaignId: string;
  /** An archived link or campaign: the slug answers 410. */
  gone: boolean;
  before: string;
  after: string;
  /** The destination with no click id, for visitors we do not count (bots, link previews, HEAD). */
  plain: string;
}

export function redirectTarget(link: { id: string; workspace_id: string; campaign_id: string }, destination: string, gone: boolean): RedirectTarget {
  const url = new URL(destination);
  const fragment = url.hash;
  url.hash = '';
  // Drop a stale clickid pair by hand: URLSearchParams would re-encode every other pair (%20 → +, ?ref → ?ref=).
  url.search = url.search.slice(1).split('&').filter((pair) => !new URLSearchParams(pair).has('clickid')).join('&');
  const base = url.href;
  const separator = url.search ? '&' : '?';
  url.hash = fragment;
  return {
    linkId: link.id, workspaceId: link.workspace_id, campaignId: link.campaign_id,
    gone, before: `${base}${separator}clickid=`, after: fragment, plain: url.href,
  };
}
