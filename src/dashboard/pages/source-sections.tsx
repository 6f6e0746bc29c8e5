import type { FormErrors } from '../page-context.js';
import type { WebhookLogView } from '../../webhooks/logs.js';
import { Badge, Csrf, ErrorSummary, formatDateTime, TableWrap } from '../components/ui.js';

/** One provider event type in the mappings form, as saved or as last submitted. */
export interface MappingRow {
  event_type: string;
  /** `conversion` or `ignore`; as submitted, so a refused value is shown as it came. */
  action: string;
  goal: string;
}

/** A refused mappings form: the summary, and each row's problem by its index. */
export interface MappingErrors {
  message: string;
  rows: Record<number, string>;
}

/** Which provider events count as conversions, and under which goal: one row per event type, saved together. */
export function EventMappingsForm({ sourceId, csrf, rows, errors }: { sourceId: string; csrf: string; rows: MappingRow[]; errors: MappingErrors | null }) {
  return (
    <section aria-labelledby="event-mappings">
      <h2 id="event-mappings">Event mappings</h2>
      <p class="small muted">
        Which sales events become conversions, and the goal they are counted under (a word such as <code>purchase</code> or <code>upgrade</code>; empty means
        purchase). Subscription renewals always count as <code>renewal</code>. Refunds and disputes always change the sale they belong to.
      </p>
      <ErrorSummary errors={errors && { message: errors.message, fields: {} }} />
      <form method="post" action={`/app/sources/${sourceId}/event-mappings`}>
        <Csrf token={csrf} />
        <TableWrap label="Event mappings">
          <table class="mappings">
            <thead>
              <tr>
                <th scope="col">Event type</th>
                <th scope="col">Counts as</th>
                <th scope="col">Goal</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const problem = errors?.rows[index];
                const errorId = `mapping-${index}-error`;
                return (
                  <tr>
                    <th scope="row">
                      <code>{row.event_type}</code>
                      <input type="hidden" name="event_type" value={row.event_type} />
                      {problem && <span id={errorId} class="field-error reason">{problem}</span>}
                    </th>
                    <td>
                      <select name="action" aria-label={`Action for ${row.event_type}`} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? errorId : undefined}>
                        <option value="conversion" selected={row.action === 'conversion'}>Conversion</option>
                        <option value="ignore" selected={row.action === 'ignore'}>Ignored</option>
                      </select>
                    </td>
                    <td>
                      <input type="text" name="goal" value={row.goal} placeholder="purchase" aria-label={`Goal for ${row.event_type}`} aria-describedby={problem ? errorId : undefined} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
        <button type="submit">Save event mappings</button>
      </form>
    </section>
  );
}

const logsHref = (sourceId: string, params: Record<string, string | null>) => {
  const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
  return `/app/sources/${sourceId}${search ? `?${search}` : ''}#webhook-logs`;
};

interface WebhookLogsProps {
  sourceId: string;
  logs: { data: WebhookLogView[]; next_cursor: string | null };
  outcome: string | null;
  outcomes: readonly string[];
  /** Whether this is an older page than the newest. */
  paged: boolean;
  errors: FormErrors | null;
  timeZone: string;
}

/** Every delivery and what Synaptyx did with it, newest first, filtered by outcome. */
export function WebhookLogs({ sourceId, logs, outcome, outcomes, paged, errors, timeZone }: WebhookLogsProps) {
  return (
    <section aria-labelledby="webhook-logs">
      <h2 id="webhook-logs">Webhook log</h2>
      <p class="small muted">Every delivery of the last 30 days and what Synaptyx did with it, newest first.</p>
      <ErrorSummary errors={errors} />
      <form method="get" action={`/app/sources/${sourceId}#webhook-logs`} class="inline log-filter" aria-label="Filter the webhook log">
        <div class="field">
          <label for="log-outcome">Outcome</label>
          <select id="log-outcome" name="outcome">
            <option value="" selected={!outcome}>All outcomes</option>
            {outcomes.map((value) => (
              <option value={value} selected={value === outcome}>{value.replace(/_/g, ' ')}</option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">Show</button>
      </form>
      <TableWrap label="Webhook log">
        <table>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Event</th>
              <th scope="col">Outcome</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {logs.data.length === 0 && (
              <tr>
                <td colSpan={4} class="muted">{outcome ? 'No delivery with this outcome.' : 'No delivery yet.'}</td>
              </tr>
            )}
            {logs.data.map((log) => (
              <tr>
                <th scope="row">{formatDateTime(log.received_at, timeZone)}</th>
                <td>
                  {log.event_type ? <code>{log.event_type}</code> : <span class="muted">unknown</span>}
                  {log.provider_event_id && <span class="small muted reason">{log.provider_event_id}</span>}
                </td>
                <td>
                  <Badge value={log.outcome} />
                </td>
                <td class="detail">
                  {log.detail}
                  {log.conversion_id && <span class="small muted reason">Conversion {log.conversion_id}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p class="small">
        {paged && <a href={logsHref(sourceId, { outcome })}>Newest deliveries</a>}
        {paged && logs.next_cursor && ' · '}
        {logs.next_cursor && <a href={logsHref(sourceId, { outcome, cursor: logs.next_cursor })}>Older deliveries</a>}
      </p>
    </section>
  );
}
