import type { ComponentChildren } from 'preact';
import type { DashboardAssets } from '../assets.js';
import type { PageContext } from '../page-context.js';
import { Csrf } from './ui.js';

const NAVIGATION = [
  { href: '/app', label: 'Overview' },
  { href: '/app/campaigns', label: 'Campaigns' },
  { href: '/app/sources', label: 'Revenue sources' },
  { href: '/app/conversions', label: 'Conversions' },
  { href: '/app/settings', label: 'Settings' },
];

const isCurrent = (href: string, path: string) => (href === '/app' ? path === '/app' : path === href || path.startsWith(`${href}/`));

function Document({ title, assets, children }: { title: string; assets: DashboardAssets; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Synaptyx`}</title>
        <link rel="icon" href={assets.icon.path} type="image/svg+xml" />
        <link rel="stylesheet" href={assets.styles.path} />
        <script src={assets.script.path} defer />
      </head>
      <body>{children}</body>
    </html>
  );
}

/** Every signed-in page: navigation, the workspace, sign out, warnings about sources, and the last form's outcome. */
export function Layout({ page, title, children }: { page: PageContext; title: string; children: ComponentChildren }) {
  const { signedIn, workspaces, warnings, flash } = page;
  return (
    <Document title={title} assets={page.assets}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="/app">Synaptyx</a>
          <nav aria-label="Main">
            <ul class="nav">
              {NAVIGATION.map((item) => (
                <li>
                  <a href={item.href} aria-current={isCurrent(item.href, page.path) ? 'page' : undefined}>{item.label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="account">
            {workspaces.length > 1 ? (
              <form method="post" action="/app/workspace">
                <Csrf token={signedIn.csrfToken} />
                <label for="workspace-switch" class="small">Workspace</label>
                <select id="workspace-switch" name="workspace_id">
                  {workspaces.map((workspace) => (
                    <option value={workspace.id} selected={workspace.id === signedIn.workspaceId}>{workspace.name}</option>
                  ))}
                </select>
                <button type="submit" class="secondary small">Switch</button>
              </form>
            ) : (
              <span>{signedIn.workspaceName}</span>
            )}
            <form method="post" action="/logout">
              <Csrf token={signedIn.csrfToken} />
              <button type="submit" class="secondary small">Sign out</button>
            </form>
          </div>
        </div>
      </header>
      <main id="main">
        {warnings.length > 0 && (
          <section class="banner" aria-label="Revenue sources that need attention">
            {warnings.map((warning) => (
              <p>
                <strong>{warning.name} is {warning.status}.</strong> {warning.reason}{' '}
                <a href={`/app/sources/${warning.sourceId}`}>Open {warning.name}</a>
              </p>
            ))}
          </section>
        )}
        {flash && <p class="flash" role="status">{flash}</p>}
        {children}
      </main>
    </Document>
  );
}

/** Pages for people who are not signed in: sign-in, setup, invites, a link's outcome. */
export function PlainLayout({ title, assets, children }: { title: string; assets: DashboardAssets; children: ComponentChildren }) {
  return (
    <Document title={title} assets={assets}>
      <main id="main" class="narrow">
        <p class="brand">Synaptyx</p>
        {children}
      </main>
    </Document>
  );
}
