/** Busy/error/success state of a form that sends one command. */
import { ref } from 'vue';
import type { CommandAnswer } from '../api/types';

export function useCommand() {
  const busy = ref(false);
  const error = ref<unknown>();
  const success = ref('');

  async function run(send: () => Promise<CommandAnswer>, describe: (a: CommandAnswer) => string): Promise<CommandAnswer | undefined> {
    busy.value = true;
    error.value = undefined;
    success.value = '';
    try {
      const answer = await send();
      success.value = describe(answer);
      return answer;
    } catch (e) {
      error.value = e;
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, success, run };
}

/** Parses a whole-number input; NaN stays NaN so the server answers with its own problem. */
export function toInt(text: string | number): number {
  return typeof text === 'number' ? text : Number.parseInt(text, 10);
}
