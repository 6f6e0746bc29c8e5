import type { Context } from 'koa';

export const SESSION_COOKIE = 'syx_session';
const FLASH_COOKIE = 'syx_flash';

/** Cookie attributes of the dashboard: HttpOnly, SameSite=Lax, and Secure when the public URL is https. */
function cookie(name: string, value: string, maxAgeSeconds: number, secure: boolean, path = '/'): string {
  return [`${name}=${value}`, `Path=${path}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}

function append(ctx: Context, header: string): void {
  const existing = ctx.response.get('Set-Cookie') as unknown as string[] | string;
  ctx.set('Set-Cookie', [...(Array.isArray(existing) ? existing : existing ? [existing] : []), header]);
}

export function readCookie(ctx: Context, name: string): string | null {
  for (const part of (ctx.get('cookie') || '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

/** The session cookie lives as long as a session may stay idle; the database decides whether it still works. */
export function setSessionCookie(ctx: Context, token: string, secure: boolean): void {
  append(ctx, cookie(SESSION_COOKIE, token, 14 * 86_400, secure));
}

export function clearSessionCookie(ctx: Context, secure: boolean): void {
  append(ctx, cookie(SESSION_COOKIE, '', 0, secure));
}

/** A one-line confirmation shown by the next page (the answer to a form is a redirect, so a reload repeats nothing). */
export function setFlash(ctx: Context, message: string, secure: boolean): void {
  append(ctx, cookie(FLASH_COOKIE, encodeURIComponent(message.slice(0, 300)), 60, secure));
}

export function takeFlash(ctx: Context, secure: boolean): string | null {
  const value = readCookie(ctx, FLASH_COOKIE);
  if (value === null) return null;
  append(ctx, cookie(FLASH_COOKIE, '', 0, secure));
  try {
    return decodeURIComponent(value) || null;
  } catch {
    return null;
  }
}
