/**
 * Idle time limits for many exchanges on one timer. Each watch has a deadline that activity
 * pushes back; a sweep a few times per limit fails the overdue ones. The timer is unref'd and
 * stops when nothing is watched, so it never holds the process open.
 */
export class IdleTimeouts {
  private readonly watched = new Set<Watch>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private period = Number.POSITIVE_INFINITY;

  watch(limitMs: number, expire: (phase: string) => void): IdleWatch {
    const entry: Watch = { deadline: Date.now() + limitMs, phase: 'request', expire };
    this.watched.add(entry);
    this.arm(limitMs);
    return {
      touch: (phase) => {
        entry.deadline = Date.now() + limitMs;
        entry.phase = phase;
      },
      done: () => {
        this.watched.delete(entry);
        if (this.watched.size === 0) this.stop();
      },
    };
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.period = Number.POSITIVE_INFINITY;
  }

  private arm(limitMs: number): void {
    // A quarter of the shortest limit: an exchange fails between 1× and 1.25× its limit.
    const period = Math.max(5, Math.floor(limitMs / 4));
    if (this.timer !== undefined && period >= this.period) return;
    this.stop();
    this.period = period;
    this.timer = setInterval(() => this.sweep(), period);
    this.timer.unref();
  }

  private sweep(): void {
    const now = Date.now();
    for (const entry of this.watched) {
      if (entry.deadline > now) continue;
      this.watched.delete(entry);
      entry.expire(entry.phase);
    }
    if (this.watched.size === 0) this.stop();
  }
}

interface Watch {
  deadline: number;
  phase: string;
  readonly expire: (phase: string) => void;
}

/** One watched exchange: `touch` on progress, `done` when it ends either way. */
export interface IdleWatch {
  touch(phase: string): void;
  done(): void;
}
