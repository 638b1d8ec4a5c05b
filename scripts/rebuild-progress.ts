/**
 * The progress bar of `npm run rebuild` (cli-progress): events read of the log up to the
 * highest live checkpoint, events/s and the estimated time left. Quiet when the stream is not a
 * terminal (CI logs, `> file`), so the final lines (identical / the differences) stay the output.
 */
import cliProgress from 'cli-progress';
import type { RebuildProgress } from '../projections/runner/rebuild';

export interface ProgressBar {
  update(progress: RebuildProgress): void;
  stop(): void;
}

export function progressBar(stream: NodeJS.WriteStream): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'rebuilding |{bar}| {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 20,
    fps: 5,
  }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  let running = false;
  return {
    update({ position, until }) {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(Number(position) / seconds) : 0;
      if (!running) {
        bar.start(Number(until), 0, { rate });
        running = true;
      }
      bar.update(Number(position), { rate });
    },
    stop() {
      if (running) bar.stop();
    },
  };
}
