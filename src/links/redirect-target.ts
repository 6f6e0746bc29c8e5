/**
 * Where a tracked link sends a visitor, split once around the click id so the hot path only concatenates:
 * `before + clickId + after` keeps the destination's own query and fragment.
 */
export interface RedirectTarget {
  linkId: string;
  /** An archived link or campaign: the slug answers 410. */
  gone: boolean;
  before: string;
  after: string;
  /** The destination with no click id, for visitors we do not count (bots, link previews, HEAD). */
  plain: string;
}

export function redirectTarget(linkId: string, destination: string, gone: boolean): RedirectTarget {
  const url = new URL(destination);
  url.searchParams.delete('clickid');
  const fragment = url.hash;
  url.hash = '';
  const base = url.href;
  const separator = url.search ? '&' : base.endsWith('?') ? '' : '?';
  url.hash = fragment;
  return { linkId, gone, before: `${base}${separator}clickid=`, after: fragment, plain: url.href };
}
