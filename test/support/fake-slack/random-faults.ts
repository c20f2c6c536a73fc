import type { Injection } from './injector.js';

export interface RandomFaultOptions {
  /** Chance that a call of one of `methods` meets a fault. */
  probability: number;
  /** Default: chat.postMessage. */
  methods?: string[];
  /** Same seed, same faults in the same order. */
  seed?: number;
}

/**
 * Random faults as a flaky network and an overloaded Slack produce them, in equal shares: a 503 or a
 * dropped connection before Slack did anything, and a 503 or a dropped connection after it posted.
 */
export class RandomFaults {
  private state: number;
  private readonly methods: Set<string>;
  readonly counts = { refused503: 0, droppedBefore: 0, postedThen503: 0, postedThenDropped: 0 };

  constructor(private readonly options: RandomFaultOptions) {
    this.state = (options.seed ?? 1) >>> 0 || 1;
    this.methods = new Set(options.methods ?? ['chat.postMessage']);
  }

  /** xorshift32: deterministic and good enough for picking faults. */
  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }

  roll(method: string): Injection | undefined {
    if (!this.methods.has(method) || this.next() >= this.options.probability) return undefined;
    switch (Math.floor(this.next() * 4)) {
      case 0:
        this.counts.refused503++;
        return { kind: 'http', status: 503, body: 'fake-slack random 503' };
      case 1:
        this.counts.droppedBefore++;
        return { kind: 'drop' };
      case 2:
        this.counts.postedThen503++;
        return { kind: 'after', then: { answer: 'http', status: 503 } };
      default:
        this.counts.postedThenDropped++;
        return { kind: 'after', then: { answer: 'drop' } };
    }
  }
}
