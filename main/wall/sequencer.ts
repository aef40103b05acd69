/**
 * Drives the wall's sequences in time (runtime: Node): one timer, set for whichever sequence is due
 * next, re-armed on every wall change. All the rules live in Wall.tick(); this only wakes it up.
 */
import type { Wall } from './wall.js';

export class Sequencer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: () => void;
  private ticking = false;

  constructor(
    private readonly wall: Wall,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = wall.subscribe(() => {
      if (!this.ticking) this.arm();
    });
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ticking = true;
    let due: number | null;
    try {
      due = this.wall.tick(this.now());
    } finally {
      this.ticking = false;
    }
    if (due === null) return;
    this.timer = setTimeout(() => this.arm(), Math.max(0, due - this.now()));
    this.timer.unref?.();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
  }
}
