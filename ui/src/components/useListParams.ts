/**
 * A list screen's filters, kept in the URL hash so a reload or a shared link shows the same
 * list. The hash is rewritten with replaceState: no hashchange, so the screen is not re-opened
 * on every keystroke.
 */
import { reactive, watch } from 'vue';
import { hrefOf, route, type ScreenName } from '../router';

export function useListParams<const K extends string>(screen: ScreenName, keys: readonly K[], defaults: Partial<Record<K, string>> = {}) {
  const params = reactive(
    Object.fromEntries(keys.map((k) => [k, route.value.params[k] ?? defaults[k] ?? ''])) as Record<K, string>,
  );
  watch(
    () => ({ ...params }),
    (now) => {
      const href = hrefOf(screen, now as Record<string, string>);
      if (typeof history !== 'undefined' && location.hash !== href) history.replaceState(history.state, '', href);
    },
  );
  return params;
}
