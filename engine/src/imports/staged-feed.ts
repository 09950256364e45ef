// What an import has staged so far (run-import.ts). The apply waits here for each next range of
// batches, or for the stream's end or abandonment: at once when it runs after the stream, range by
// range when it follows the stream.

export class StagedFeed {
  /** Batches staged (committed) so far: 0..count-1. */
  count = 0;
  /** The header's columns, once read. */
  present: ReadonlySet<string> = new Set();
  /** Errors name the file's own columns (HeaderRead.columnOf). */
  columnOf: Readonly<Record<string, string>> = {};
  /** Every row was read and staged. */
  ended = false;
  /** The import will not be applied (a broken row, a failed upload): the apply rolls back. */
  abandoned = false;
  private waiting: (() => void)[] = [];

  staged(count: number): void {
    this.count = count;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  abandon(): void {
    this.abandoned = true;
    this.wake();
  }

  /** Resolves once `count` batches are staged, or the stream ended or was abandoned. */
  async until(count: number): Promise<void> {
    while (this.count < count && !this.ended && !this.abandoned)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
