/**
 * A set of change listeners. `emit` calls every listener; one that throws does not stop the
 * others and is reported to `onError` (when given). `add` returns the function that removes it.
 */
export class Listeners<Args extends unknown[] = []> {
  private readonly set = new Set<(...args: Args) => void>();
  private readonly onError: ((error: unknown) => void) | undefined;

  constructor(onError?: (error: unknown) => void) {
    this.onError = onError;
  }

  add(listener: (...args: Args) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(...args: Args): void {
    for (const listener of this.set) {
      try {
        listener(...args);
      } catch (error) {
        if (!this.onError) throw error;
        this.onError(error);
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
