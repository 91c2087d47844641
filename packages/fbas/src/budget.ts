import { FbasError } from './errors.js';

/**
 * A wall-clock budget shared by the searches of one analysis. Searches call `check()` in their loops; past
 * the deadline it throws BUDGET_EXCEEDED, which the analysis turns into an explicit "unknown" answer.
 * The clock is injected so that tests stay deterministic.
 */
export class Budget {
  private readonly deadlineMs: number;
  private ticks = 0;

  constructor(
    readonly budgetMs: number = Number.POSITIVE_INFINITY,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.deadlineMs = nowMs() + budgetMs;
  }

  /** Cheap enough for inner loops: reads the clock every 64 calls only. */
  check(): void {
    if ((++this.ticks & 63) !== 0) return;
    this.checkNow();
  }

  checkNow(): void {
    if (this.nowMs() > this.deadlineMs) {
      throw new FbasError('BUDGET_EXCEEDED', `analysis budget of ${this.budgetMs} ms exceeded`, {
        budgetMs: this.budgetMs,
      });
    }
  }

  static unlimited(): Budget {
    return new Budget();
  }
}

/** Result of one analysis: done, or explicitly unknown because the budget ran out. */
export type Outcome<T> = ({ status: 'done' } & T) | { status: 'unknown'; reason: 'budget'; budgetMs: number };

export function withBudget<T extends object>(budget: Budget, run: () => T): Outcome<T> {
  try {
    budget.checkNow();
    return { status: 'done', ...run() };
  } catch (e) {
    if (e instanceof FbasError && e.code === 'BUDGET_EXCEEDED') {
      return { status: 'unknown', reason: 'budget', budgetMs: budget.budgetMs };
    }
    throw e;
  }
}
