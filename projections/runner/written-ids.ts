/**
 * The ids a rebuild has written out to the store, per collection, as a scalable Bloom filter:
 * `mightHold(id)` false means certainly never written (a miss needs no store read); true means
 * written, or rarely (about 1 % per filter) a false alarm that costs one store read answering
 * "absent". Never a wrong answer, only a read more.
 *
 * Why not a Set: a rebuild remembers an id per sale (`stock_seen`) and per slot and day, i.e.
 * about a million strings per million events (~80 MiB), the one part of its memory that grew
 * with the log. Ten bits per id instead: ~1.2 MiB per million ids. Why not the `bloom-filters`
 * package: it hashes through xxhashjs's object-based 64-bit arithmetic, several allocations per
 * call, on the per-event path; two 32-bit FNV-1a style hashes over the id's UTF-16 code units
 * (double hashing) are enough for ids.
 */

const BITS_PER_ID = 10;
const HASHES = 7; // optimal for 10 bits per id: ~0.8 % false alarms when full
const FIRST_CAPACITY = 1 << 16;

class BloomFilter {
  private readonly bits: Uint32Array;
  private readonly size: number;
  count = 0;

  constructor(readonly capacity: number) {
    this.size = capacity * BITS_PER_ID;
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }

  add(h1: number, h2: number): void {
    for (let i = 0; i < HASHES; i += 1) {
      const bit = (h1 + i * h2) % this.size;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.count += 1;
  }

  has(h1: number, h2: number): boolean {
    for (let i = 0; i < HASHES; i += 1) {
      const bit = (h1 + i * h2) % this.size;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

export class WrittenIds {
  /** Each new filter twice the capacity of the last: false alarms add up to a few percent at most. */
  private readonly filters: BloomFilter[] = [new BloomFilter(FIRST_CAPACITY)];
  private h1 = 0;
  private h2 = 0;

  add(id: string): void {
    this.hash(id);
    if (this.has()) return; // already (or seemingly) there: adding again would only fill the filter
    let last = this.filters.at(-1)!;
    if (last.count >= last.capacity) this.filters.push((last = new BloomFilter(last.capacity * 2)));
    last.add(this.h1, this.h2);
  }

  mightHold(id: string): boolean {
    this.hash(id);
    return this.has();
  }

  /** Bytes held by the filters. */
  get bytes(): number {
    return this.filters.reduce((sum, f) => sum + Math.ceil((f.capacity * BITS_PER_ID) / 32) * 4, 0);
  }

  private has(): boolean {
    for (const filter of this.filters) if (filter.has(this.h1, this.h2)) return true;
    return false;
  }

  /** Two independent 32-bit hashes of `id` (FNV-1a with two offset bases), kept unsigned. */
  private hash(id: string): void {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ id.length;
    for (let i = 0; i < id.length; i += 1) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.h1 = a >>> 0;
    this.h2 = (b | 1) >>> 0; // never zero: the probes do not all land on one bit
  }
}
