import type { DashboardAssets } from '../assets.js';
import { PlainLayout } from '../components/layout.js';

/** A page that says what went wrong and where to go: not found, forbidden, a refused link, our failure. */
export function ProblemPage({ assets, title, message, link }: { assets: DashboardAssets; title: string; message: string; link?: { href: string; text: string } }) {
  return (
    <PlainLayout title={title} assets={assets}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={link?.href ?? '/app'}>{link?.text ?? 'Go to the dashboard'}</a>
      </p>
    </PlainLayout>
  );
}
