import type { Context } from 'koa';
import { DomainError } from '../../errors.js';
import type { FormErrors } from '../../dashboard/page-context.js';

/** Errors a person can fix by changing the form; anything else is the page-errors middleware's. */
const FIXABLE = new Set(['invalid', 'conflict', 'unprocessable']);

/** A refused form's problems, by field (the first segment of each detail's pointer), or null if it is not the form's fault. */
export function formErrorsOf(error: unknown): FormErrors | null {
  if (!(error instanceof DomainError) || !FIXABLE.has(error.kind)) return null;
  const fields: Record<string, string> = {};
  for (const detail of error.details) {
    const name = detail.pointer.split('/')[1];
    if (name && !fields[name]) fields[name] = `${detail.message.charAt(0).toUpperCase()}${detail.message.slice(1)}.`;
  }
  return { message: error.message, fields };
}

/** Status of a page re-rendered with a refused form's problems. */
export const formErrorStatus = (error: unknown) => ((error as DomainError).kind === 'conflict' ? 409 : 400);

/** Runs a form's action; a problem the person can fix re-renders the form (via `show`), anything else propagates. */
export async function submit(ctx: Context, action: () => Promise<void>, show: (errors: FormErrors, status: number) => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const errors = formErrorsOf(error);
    if (!errors) throw error;
    await show(errors, formErrorStatus(error));
  }
}

/** Only a path on this service: `next=` after sign-in must not send a person to another site. */
export function localPath(value: string | undefined): string {
  return value && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/app';
}
