/** Starts or follows a POS import and polls its progress until it stops (imports answer 202, no position). */
import { onUnmounted, ref } from 'vue';
import { api } from '../../api/client';
import type { ImportJob } from './onboarding';

export function useImportJob(onStopped?: (job: ImportJob) => void) {
  const job = ref<ImportJob>();
  const error = ref<unknown>();
  const starting = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function refresh(id: string): Promise<void> {
    try {
      job.value = await api.get<ImportJob>(`/api/pos/imports/${encodeURIComponent(id)}`);
    } catch (e) {
      error.value = e;
    }
    if (job.value?.status === 'running') timer = setTimeout(() => void refresh(id), 700);
    else if (job.value) onStopped?.(job.value);
  }

  function follow(id: string): void {
    if (timer) clearTimeout(timer);
    void refresh(id);
  }

  async function launch(call: () => Promise<{ id: string }>): Promise<void> {
    starting.value = true;
    error.value = undefined;
    try {
      follow((await call()).id);
    } catch (e) {
      error.value = e;
    } finally {
      starting.value = false;
    }
  }

  const start = (connectionId: string, body: Record<string, unknown>) =>
    launch(() => api.post<{ id: string }>(`/api/pos/connections/${encodeURIComponent(connectionId)}/imports`, body));
  const resume = () => job.value && launch(() => api.post<{ id: string }>(`/api/pos/imports/${encodeURIComponent(job.value!.id)}/resume`));

  onUnmounted(() => timer && clearTimeout(timer));
  return { job, error, starting, start, resume, follow };
}
