/// <reference lib="dom" />
/**
 * Where the merchant's page keeps the visitor's click id: a first-party cookie on the widest domain of the
 * merchant's site that accepts one (so shop. and www. share it), else localStorage.
 */
const NAME = '_syx_cid';
const NINETY_DAYS = 7_776_000;
const VALID = /^[A-Za-z0-9_-]{16,64}$/;
// The first well-formed value; a malformed cookie of the same name (from anyone) is skipped.
const STORED_COOKIE = /(?:^|; )_syx_cid=([A-Za-z0-9_-]{16,64})(?:;|$)/;

const valid = (value: string | null): string | null => (value && VALID.test(value) ? value : null);

function hasCookie(id: string): boolean {
  return `; ${document.cookie};`.includes(`; ${NAME}=${id};`);
}

/** Tries `.example.co.uk`'s parents from the widest (the browser refuses a public suffix like `.co.uk`), then host-only. */
function storeCookie(id: string): boolean {
  const labels = location.hostname.split('.');
  const cookie = `${NAME}=${id}; path=/; max-age=${NINETY_DAYS}; samesite=lax${location.protocol == 'https:' ? '; secure' : ''}`;
  // A host-only cookie from an earlier fallback would shadow the new id when read, so it goes first.
  document.cookie = `${NAME}=; path=/; max-age=0`;
  for (let i = labels.length - 2; i >= -1; i--) {
    document.cookie = cookie + (i < 0 ? '' : `; domain=.${labels.slice(i).join('.')}`);
    if (hasCookie(id)) return true;
  }
  return false;
}

function storedId(): string | null {
  const match = STORED_COOKIE.exec(document.cookie);
  if (match) return match[1];
  try {
    return valid(localStorage.getItem(NAME));
  } catch {
    return null; // storage disabled: nothing was kept
  }
}

/** The click id of this visit: a newer one in the URL (`?clickid=`) replaces the stored one (last click wins). */
export function resolveClickId(): string | null {
  const fromUrl = valid(new URLSearchParams(location.search).get('clickid'));
  const stored = storedId();
  if (fromUrl && fromUrl != stored && !storeCookie(fromUrl)) {
    try {
      localStorage.setItem(NAME, fromUrl);
    } catch {
      // cookies and storage both refused: the id lives for this page only
    }
  }
  return fromUrl || stored;
}
