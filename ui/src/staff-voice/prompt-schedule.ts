/**
 * When the poll prompt may show: never again within a day of being dismissed (per user, kept in
 * localStorage so a reload does not bring it back), and only for a poll still waiting for an answer.
 */
import type { Poll } from './types';

export const PROMPT_PAUSE_MS = 24 * 60 * 60 * 1000;
const key = (username: string) => `stocktide.pollPrompt.dismissedAt.${username}`;

export function mayPrompt(dismissedAt: number | undefined, now: number): boolean {
  return dismissedAt === undefined || !Number.isFinite(dismissedAt) || now - dismissedAt >= PROMPT_PAUSE_MS;
}

/** The first open poll the user has not answered yet. */
export const pollToAsk = (polls: readonly Poll[]): Poll | undefined => polls.find((p) => p.answerable && !p.myAnswer);

export function dismissedAtOf(username: string, storage: Pick<Storage, 'getItem'> = localStorage): number | undefined {
  const text = storage.getItem(key(username));
  return text === null ? undefined : Number(text);
}

export function rememberDismissal(username: string, now: number, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(key(username), String(now));
}
