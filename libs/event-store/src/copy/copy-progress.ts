/** How a copy is going, for a person watching: done of total, rate, time left. Pure: the caller measures time. */
export interface ProgressView {
  done: number;
  total: number;
  /** Events written by this run, and the seconds it has run: the rate is this run's own. */
  copied: number;
  seconds: number;
}

export function rateOf({ copied, seconds }: ProgressView): number {
  return seconds > 0 ? copied / seconds : 0;
}

/** Seconds left at this run's rate; undefined while there is no rate yet. */
export function secondsLeft(view: ProgressView): number | undefined {
  const rate = rateOf(view);
  if (view.done >= view.total) return 0;
  return rate > 0 ? (view.total - view.done) / rate : undefined;
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const [h, m, rest] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const mmss = `${String(m).padStart(2, '0')}:${String(rest).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

const percent = ({ done, total }: ProgressView) => (total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100);
const figures = (view: ProgressView) =>
  `${view.done.toLocaleString('en-US')}/${view.total.toLocaleString('en-US')} events, ${Math.round(rateOf(view)).toLocaleString('en-US')} events/s, ${formatDuration(secondsLeft(view))} left`;

/** A plain line, for logs and pipes. */
export function progressLine(view: ProgressView): string {
  return `copied ${figures(view)} (${percent(view)} %)`;
}

/** A bar of `width` cells for a terminal line, redrawn in place. */
export function progressBar(view: ProgressView, width = 30): string {
  const filled = Math.round((percent(view) / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent(view)).padStart(3)} % ${figures(view)}`;
}
