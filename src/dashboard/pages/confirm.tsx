import type { PageContext } from '../page-context.js';
import { Layout } from '../components/layout.js';
import { PostButton } from '../components/ui.js';

interface ConfirmProps {
  page: PageContext;
  title: string;
  /** What will happen, in the person's terms. */
  message: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
}

/** A step before something that cannot be undone from the dashboard: a page, so it works without a script. */
export function ConfirmPage({ page, title, message, action, confirmLabel, cancelHref }: ConfirmProps) {
  return (
    <Layout page={page} title={title}>
      <section class="card" aria-labelledby="confirm-title">
        <h1 id="confirm-title">{title}</h1>
        <p>{message}</p>
        <div class="inline">
          <PostButton action={action} csrf={page.signedIn.csrfToken} label={confirmLabel} variant="danger" />
          <a class="button secondary small" href={cancelHref}>Cancel</a>
        </div>
      </section>
    </Layout>
  );
}
