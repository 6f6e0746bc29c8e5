import type { Middleware } from 'koa';
import { unsupportedMediaType } from '../http-errors.js';
import { readBody } from '../body.js';

/** A submitted HTML form: each field's value, or values for a repeated field. */
export type FormFields = Record<string, string | string[]>;

declare module 'koa' {
  interface Request {
    form?: FormFields;
  }
}

/** Parses `application/x-www-form-urlencoded` bodies (≤ 1 MB) of the dashboard's forms. */
export function formBody(): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    if (!ctx.is('application/x-www-form-urlencoded')) throw unsupportedMediaType('application/x-www-form-urlencoded (an HTML form)');
    const fields: FormFields = {};
    for (const [name, value] of new URLSearchParams((await readBody(ctx)).toString('utf8'))) {
      const existing = fields[name];
      fields[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    ctx.request.form = fields;
    return next();
  };
}

/** One field's text (the first, when repeated), trimmed unless asked not to; '' when absent. */
export function field(form: FormFields | undefined, name: string, options: { trim?: boolean } = {}): string {
  const value = form?.[name];
  const text = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  return options.trim === false ? text : text.trim();
}
