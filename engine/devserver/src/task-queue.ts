// A task queue with long-polling pollers: tasks wait for pollers, pollers wait for tasks.

export interface Poller<T> {
  deliver(task: T): void;
  /** False once the poller's call was cancelled or answered. */
  isAlive(): boolean;
}

export class TaskQueue<T> {
  private readonly tasks: T[] = [];
  private readonly pollers: Poller<T>[] = [];

  /** Hands the task to a waiting poller, or queues it. */
  push(task: T): void {
    while (this.pollers.length > 0) {
      const poller = this.pollers.shift()!;
      if (poller.isAlive()) {
        poller.deliver(task);
        return;
      }
    }
    this.tasks.push(task);
  }

  /** Gives the poller a queued task (skipping ones `isValid` rejects) or parks it. */
  poll(poller: Poller<T>, isValid: (task: T) => boolean): void {
    while (this.tasks.length > 0) {
      const task = this.tasks.shift()!;
      if (isValid(task)) {
        poller.deliver(task);
        return;
      }
    }
    this.pollers.push(poller);
  }

  removePoller(poller: Poller<T>): void {
    const i = this.pollers.indexOf(poller);
    if (i >= 0) this.pollers.splice(i, 1);
  }

  remove(predicate: (task: T) => boolean): void {
    for (let i = this.tasks.length - 1; i >= 0; i--) if (predicate(this.tasks[i])) this.tasks.splice(i, 1);
  }

  get backlog(): number {
    return this.tasks.length;
  }

  drainPollers(): Poller<T>[] {
    return this.pollers.splice(0);
  }
}
