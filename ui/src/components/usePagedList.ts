/**
 * One server-paged list: loads a page with the current filters, keeps the cursors of the pages
 * seen (Previous/Next), restarts at the first page when a filter changes, and tells a failure
 * from an empty answer. Filter changes are debounced with RxJS (typing in the search box).
 */
import { ref } from 'vue';
import { Subject, debounceTime } from 'rxjs';
import { api, type Query } from '../api/client';

export interface Page<T> {
  items: T[];
  total?: number;
  nextCursor?: string;
  position?: string;
}

export function usePagedList<T>(path: string, query: () => Query, pageSize = 50) {
  const rows = ref<T[]>([]) as { value: T[] };
  const total = ref<number>();
  const loading = ref(true);
  const error = ref<unknown>();
  const position = ref<string>();
  const cursors = ref<Array<string | undefined>>([undefined]);
  const page = ref(0);
  let request = 0;

  async function load(minPosition?: string): Promise<void> {
    const mine = ++request;
    loading.value = true;
    try {
      const answer = await api.get<Page<T>>(path, { ...query(), limit: pageSize, cursor: cursors.value[page.value], minPosition });
      if (mine !== request) return;
      rows.value = answer.items;
      total.value = answer.total;
      position.value = answer.position;
      cursors.value = [...cursors.value.slice(0, page.value + 1), answer.nextCursor];
      error.value = undefined;
    } catch (e) {
      if (mine === request) error.value = e;
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  const changed$ = new Subject<void>();
  const subscription = changed$.pipe(debounceTime(250)).subscribe(() => {
    page.value = 0;
    cursors.value = [undefined];
    void load();
  });

  return {
    rows, total, loading, error, position, page,
    offset: () => page.value * pageSize,
    hasNext: () => cursors.value[page.value + 1] !== undefined,
    load,
    /** A filter changed: back to the first page (debounced). */
    restart: () => changed$.next(),
    next: () => {
      if (cursors.value[page.value + 1] === undefined) return;
      page.value += 1;
      void load();
    },
    previous: () => {
      if (page.value === 0) return;
      page.value -= 1;
      void load();
    },
    stop: () => subscription.unsubscribe(),
  };
}
