import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { changeTurns } from './change-turns';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('changeTurns', () => {
  it('given changes handed over in one turn, emits them as one array, in order', async () => {
    const changes = new Subject<number>();
    const seen: number[][] = [];
    changeTurns(changes).subscribe((t) => seen.push(t));
    changes.next(1);
    changes.next(2);
    changes.next(3);
    expect(seen).toEqual([]); // not before the turn's last change has been handed over
    await turn();
    expect(seen).toEqual([[1, 2, 3]]);
  });

  it('given changes in two turns, emits two arrays and never an empty one', async () => {
    const changes = new Subject<string>();
    const seen: string[][] = [];
    changeTurns(changes).subscribe((t) => seen.push(t));
    changes.next('a');
    await turn();
    await turn();
    changes.next('b');
    changes.next('c');
    await turn();
    expect(seen).toEqual([['a'], ['b', 'c']]);
  });

  it('hands every subscriber the same array, so work keyed by it is done once', async () => {
    const changes = new Subject<number>();
    const turns = changeTurns(changes);
    const first: number[][] = [];
    const second: number[][] = [];
    turns.subscribe((t) => first.push(t));
    turns.subscribe((t) => second.push(t));
    changes.next(7);
    await turn();
    expect(first).toHaveLength(1);
    expect(second[0]).toBe(first[0]);
  });

  it('when the source completes, emits what is open and completes', async () => {
    const changes = new Subject<number>();
    const seen: number[][] = [];
    let completed = false;
    changeTurns(changes).subscribe({ next: (t) => seen.push(t), complete: () => { completed = true; } });
    changes.next(4);
    changes.complete();
    expect(seen).toEqual([[4]]);
    expect(completed).toBe(true);
  });

  it('stops listening to the source once the last subscriber leaves', () => {
    const changes = new Subject<number>();
    const subscription = changeTurns(changes).subscribe();
    expect(changes.observed).toBe(true);
    subscription.unsubscribe();
    expect(changes.observed).toBe(false);
  });
});
