/** A bounded buffer that keeps the newest `capacity` items (old ones fall off). Pure, O(1) push. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** Items pushed so far, including those that fell off. */
  total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`ring buffer capacity must be ≥ 1, not ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** How many items are held. */
  get size(): number {
    return this.count;
  }

  /** Adds an item, dropping the oldest when full. */
  push(item: T): void {
    this.total++;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Item `i` (0 = oldest held). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  /** Items from `from` (inclusive) to `to` (exclusive), oldest first. */
  slice(from = 0, to = this.count): T[] {
    const out: T[] = [];
    const end = Math.min(to, this.count);
    for (let i = Math.max(0, from); i < end; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }

  /** Drops everything. */
  clear(): void {
    this.start = 0;
    this.count = 0;
    this.items.fill(undefined);
  }
}
