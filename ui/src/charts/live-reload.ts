/**
 * Re-reads a chart's data when the live stream reports a stock change it cares about. Bursts
 * (a till posting a basket) are collapsed into one re-read by `debounceTime`.
 */
import { onUnmounted } from 'vue';
import { debounceTime, filter } from 'rxjs';
import type { StockChange } from '../api/types';
import { live$ } from '../live/live';

export function useLiveReload(reload: () => void, wanted: (change: StockChange) => boolean = () => true, waitMs = 400): void {
  const subscription = live$
    .pipe(filter((m) => m.kind === 'stock' && wanted(m.data as StockChange)), debounceTime(waitMs))
    .subscribe(() => reload());
  onUnmounted(() => subscription.unsubscribe());
}
