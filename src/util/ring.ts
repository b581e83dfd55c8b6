/** The last `capacity` values pushed, oldest first: bounded memory for what a live run keeps to show. */
export class Ring<T> {
  private readonly values: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {}

  push(value: T): void {
    if (this.values.length < this.capacity) this.values.push(value);
    else {
      this.values[this.start] = value;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  list(): T[] {
    return [...this.values.slice(this.start), ...this.values.slice(0, this.start)];
  }
}
