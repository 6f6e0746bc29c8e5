import type { ComponentChildren } from 'preact';
import type { FormErrors } from '../page-context.js';

/** The hidden field every state-changing form carries. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

interface FieldProps {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'date' | 'number';
  value?: string | number | null;
  errors?: FormErrors | null;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  minLength?: number;
  step?: string;
  min?: string;
}

/** A labelled input, with its hint and its problem (if the last submit had one) tied to it for screen readers. */
export function Field({ label, name, type = 'text', value, errors, hint, required, autocomplete, placeholder, minLength, step, min }: FieldProps) {
  const id = `field-${name}`;
  const problem = errors?.fields[name];
  const described = [hint ? `${id}-hint` : null, problem ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        // preact types each input type apart; this one component serves them all
        type={type as 'text'}
        value={value ?? ''}
        required={required}
        autocomplete={autocomplete}
        placeholder={placeholder}
        minLength={minLength}
        step={step}
        min={min}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={described}
      />
      {hint && <span id={`${id}-hint`} class="hint">{hint}</span>}
      {problem && <span id={`${id}-error`} class="field-error">{problem}</span>}
    </div>
  );
}

export function Select({ label, name, value, options, hint }: { label: string; name: string; value: string; options: { value: string; label: string }[]; hint?: string }) {
  const id = `field-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-describedby={hint ? `${id}-hint` : undefined}>
        {options.map((option) => (
          <option value={option.value} selected={option.value === value}>{option.label}</option>
        ))}
      </select>
      {hint && <span id={`${id}-hint`} class="hint">{hint}</span>}
    </div>
  );
}

/** What was wrong with the last submit, announced when the page loads. */
export function ErrorSummary({ errors }: { errors?: FormErrors | null }) {
  if (!errors) return null;
  return (
    <div class="error-box" role="alert">
      <strong>{errors.message}</strong>
    </div>
  );
}

/** A value to paste somewhere else, with a button that copies it. */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div class="field">
      <span class="label" id={`${id}-label`}>{label}</span>
      <div class="copy">
        <code id={id} aria-labelledby={`${id}-label`}>{value}</code>
        <button type="button" class="secondary small" data-copy={id} aria-label={`Copy ${label.toLowerCase()}`}>Copy</button>
      </div>
    </div>
  );
}

/** A form that is only a button (archive, revoke, sign out): POST with the CSRF token. */
export function PostButton({ action, csrf, label, variant, hidden }: { action: string; csrf: string; label: string; variant?: 'secondary' | 'danger' | 'link'; hidden?: Record<string, string> }) {
  return (
    <form method="post" action={action} class="post-button">
      <Csrf token={csrf} />
      {Object.entries(hidden ?? {}).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
      <button type="submit" class={[variant, 'small'].filter(Boolean).join(' ')}>{label}</button>
    </form>
  );
}

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span class={`badge ${value}`}>{label ?? value.replace(/_/g, ' ')}</span>;
}

/** A table that scrolls sideways on a narrow screen, reachable by keyboard. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

const DIGITS = new Map<string, number>();
function digitsOf(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    DIGITS.set(currency, digits);
  }
  return digits;
}

/** Integer minor units as a person reads them: 14999 USD → $149.99. */
export function formatMoney(minor: number, currency: string): string {
  const digits = digitsOf(currency);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
}

/** A per-currency money map, one line per currency; a dash when empty. */
export function MoneyList({ money }: { money: Record<string, number> | undefined }) {
  const entries = Object.entries(money ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span class="muted">–</span>;
  return (
    <>
      {entries.map(([currency, amount], index) => (
        <>
          {index > 0 && <br />}
          <span class={amount < 0 ? 'neg' : undefined}>{formatMoney(amount, currency)}</span>
        </>
      ))}
    </>
  );
}

/** Major units of a currency (for a chart axis). */
export const toMajor = (minor: number, currency: string) => minor / 10 ** digitsOf(currency);

export function formatDateTime(iso: string | null, timeZone = 'UTC'): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}
