import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { connectLive, type LiveMessage } from './stream';

/** Enough of EventSource to drive the connection from a test. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private listeners = new Map<string, Array<(e: unknown) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, fn: (e: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  emit(type: string, data: unknown, lastEventId: string): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId });
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    this.onerror?.();
  }
}

const connect = () => connectLive('/api/stream', (url) => new FakeEventSource(url) as unknown as EventSource, 1000);

describe('live stream', () => {
  beforeEach(() => {
    FakeEventSource.opened = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  test('given an open stream, when a stock frame arrives, then a typed message and the state live', () => {
    const { messages$, state$ } = connect();
    const seen: LiveMessage[] = [];
    const sub = messages$.subscribe((m) => seen.push(m));
    expect(state$.value).toBe('connecting');
    FakeEventSource.opened[0]!.open();
    FakeEventSource.opened[0]!.emit('stock', { locationId: 'S1', sku: 'A', onHand: 3, position: '7' }, '7');
    expect(state$.value).toBe('live');
    expect(seen).toEqual([{ kind: 'stock', id: '7', data: { locationId: 'S1', sku: 'A', onHand: 3, position: '7' } }]);
    sub.unsubscribe();
  });

  test('given a dropped connection the browser retries, then the state says reconnecting and no new source is opened', () => {
    const { messages$, state$ } = connect();
    const sub = messages$.subscribe();
    FakeEventSource.opened[0]!.open();
    FakeEventSource.opened[0]!.fail(0);
    expect(state$.value).toBe('reconnecting');
    vi.advanceTimersByTime(5000);
    expect(FakeEventSource.opened).toHaveLength(1);
    sub.unsubscribe();
  });

  test('given a stream closed for good, when retried, then it resumes after the last seen position', () => {
    const { messages$, state$ } = connect();
    const seen: string[] = [];
    const sub = messages$.subscribe((m) => seen.push(m.id));
    const first = FakeEventSource.opened[0]!;
    first.open();
    first.emit('alert', { message: 'low' }, '41');
    first.fail(2);
    expect(state$.value).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    const second = FakeEventSource.opened[1]!;
    expect(second.url).toBe('/api/stream?lastEventId=41');
    second.open();
    second.emit('transfer', { transferId: 't1' }, '42');
    expect(seen).toEqual(['41', '42']);
    expect(state$.value).toBe('live');
    sub.unsubscribe();
  });

  test('given a malformed frame, then it is skipped and the stream goes on', () => {
    const { messages$ } = connect();
    const seen: string[] = [];
    const sub = messages$.subscribe((m) => seen.push(m.id));
    FakeEventSource.opened[0]!.emit('stock', '{not json', '1');
    FakeEventSource.opened[0]!.emit('stock', { locationId: 'S1', sku: 'A', onHand: 1, position: '2' }, '2');
    expect(seen).toEqual(['2']);
    sub.unsubscribe();
  });

  test('when the last subscriber leaves, then the source is closed and the state is offline', () => {
    const { messages$, state$ } = connect();
    const sub = messages$.subscribe();
    sub.unsubscribe();
    expect(FakeEventSource.opened[0]!.closed).toBe(true);
    expect(state$.value).toBe('offline');
  });
});
