// The dashboard's one script: copy buttons and the Overview chart. Every page works without it.
import uPlot from 'uplot';

interface ChartData {
  /** Bucket starts, epoch seconds. */
  x: number[];
  clicks: number[];
  /** Net revenue per bucket in major units of `currency`. */
  net: number[];
  currency: string;
  /** Whether buckets are hours (a 24h range) or days and longer. */
  hourly: boolean;
}

function copyButtons(): void {
  document.addEventListener('click', async (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-copy]');
    if (!button) return;
    const source = document.getElementById(button.dataset.copy!);
    const text = source instanceof HTMLInputElement || source instanceof HTMLTextAreaElement ? source.value : (source?.textContent ?? '');
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      // No clipboard (an insecure origin): select the text so the person can copy it themselves.
      if (source) window.getSelection()?.selectAllChildren(source);
      button.textContent = 'Press Ctrl+C';
    }
    setTimeout(() => (button.textContent = label), 1500);
  });
}

function chart(container: HTMLElement): void {
  const data = JSON.parse(container.dataset.chart!) as ChartData;
  const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: data.currency, maximumFractionDigits: 0 });
  const width = () => Math.max(280, container.clientWidth - 8);
  const plot = new uPlot(
    {
      width: width(),
      height: 260,
      legend: { live: false },
      scales: { x: { time: true }, clicks: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max)] }, net: { auto: true } },
      axes: [
        { space: 60 },
        // Whole clicks only: a count has no 0.2.
        { scale: 'clicks', label: 'Clicks', size: 55, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000] },
        { scale: 'net', label: `Net (${data.currency})`, side: 1, size: 70, grid: { show: false }, values: (_u, ticks) => ticks.map((tick) => money.format(tick)) },
      ],
      series: [
        { value: (_u, seconds) => (seconds == null ? '' : new Date(seconds * 1000).toLocaleString(undefined, data.hourly ? { hour: 'numeric', day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' })) },
        { label: 'Clicks', scale: 'clicks', stroke: '#4338ca', width: 2, fill: 'rgba(67,56,202,.08)' },
        { label: `Net revenue (${data.currency})`, scale: 'net', stroke: '#1a7f37', width: 2, value: (_u, value) => (value == null ? '' : money.format(value)) },
      ],
    },
    [data.x, data.clicks, data.net],
    container,
  );
  new ResizeObserver(() => plot.setSize({ width: width(), height: 260 })).observe(container);
}

copyButtons();
for (const element of document.querySelectorAll<HTMLElement>('[data-chart]')) chart(element);
