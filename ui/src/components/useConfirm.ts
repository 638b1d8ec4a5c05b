/**
 * "Ask once": a form computes its warnings for the payload it is about to send; the first
 * submit of that payload shows them, a confirmation sends exactly that payload. Changing the
 * payload asks again.
 */
import { ref } from 'vue';

export function useConfirm() {
  const warnings = ref<string[]>([]);
  let pendingKey = '';
  let confirmedKey = '';

  /** True when the caller may send `payload` now; false when it must wait for a confirmation. */
  function cleared(payload: unknown, found: string[]): boolean {
    const key = JSON.stringify(payload);
    if (found.length === 0 || key === confirmedKey) {
      warnings.value = [];
      return true;
    }
    pendingKey = key;
    warnings.value = found;
    return false;
  }
  function confirm(): void {
    confirmedKey = pendingKey;
    warnings.value = [];
  }
  function cancel(): void {
    warnings.value = [];
  }
  return { warnings, cleared, confirm, cancel };
}
