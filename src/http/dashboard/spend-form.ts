import { SpendEntry } from '../../campaigns/spend-schemas.js';
import type { SpendEntry as Entry } from '../../campaigns/spend.js';
import { DomainError, validationFailed, type ErrorDetail } from '../../errors.js';
import { checkInput } from '../validation.js';

/** Decimals a currency's amounts have (2 for USD, 0 for JPY); 2 for a code that is not a currency (refused later). */
function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount as a person types it in major units (`12.50`, `12,5`, `0`) as integer minor units, or null if it is not one. */
export function minorUnitsOf(text: string, currency: string): number | null {
  const match = /^(\d{1,12})(?:[.,](\d+))?$/.exec(text);
  if (!match) return null;
  const digits = fractionDigits(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/**
 * The spend form's day, amount and currency as the API's SpendEntry (amount in minor units), checked by the API's
 * schema; every problem is reported by field at once.
 */
export function spendEntryOf(values: { date: string; amount: string; currency: string }): Entry {
  const amount = minorUnitsOf(values.amount, values.currency);
  let problems: ErrorDetail[] = [];
  let entry: Entry | null = null;
  try {
    entry = checkInput(SpendEntry, { date: values.date, currency: values.currency, amount: amount ?? 0 }, 'body');
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problems = error.details;
  }
  if (amount === null) {
    const digits = fractionDigits(values.currency);
    const message = digits === 0 ? 'must be a whole amount, like 1250' : `must be an amount like 12.${'50'.padEnd(digits, '0')}, with at most ${digits} decimals`;
    problems = [{ in: 'body', pointer: '/amount', message }, ...problems.filter((problem) => problem.pointer !== '/amount')];
  }
  if (problems.length > 0 || !entry) throw validationFailed('The spend was not saved: check the fields marked below.', problems);
  return entry;
}
