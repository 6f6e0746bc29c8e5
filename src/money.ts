/** ISO 4217 codes in use, as the runtime's ICU data knows them (`ZZZ` and the testing code `XXX` are not). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** True for an ISO 4217 currency code, in any case (`usd`, `USD`). */
export function isCurrency(code: string): boolean {
  return code.length === 3 && CURRENCIES.has(code.toUpperCase());
}

/** A money amount as stored: integer minor units, never negative, exact in a JavaScript number. */
export function isMinorUnits(amount: unknown): amount is number {
  return typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0;
}
