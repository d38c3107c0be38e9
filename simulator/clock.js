// @ts-check
// The simulator's clock: every time-dependent rule (token expiry, rollout
// progression, rate-limit windows) reads this clock, never Date.now directly.

/** Default start of the manual clock. */
export const DEFAULT_START_TIME = Date.parse("2026-03-18T09:41:07.123Z");

/**
 * Create a clock.
 *
 * - `"real"`: `now()` is `Date.now()` plus whatever was `advance()`d.
 * - `"manual"`: starts at `startTime` and only moves with `advance()`.
 *
 * @param {{ clock?: "real" | "manual", startTime?: number }} [options]
 * @returns {{ mode: "real" | "manual", now(): number, advance(ms: number): number }}
 */
export function createClock(options = {}) {
  const mode = options.clock ?? "real";
  if (mode !== "real" && mode !== "manual") {
    throw new TypeError(`clock must be "real" or "manual", got ${JSON.stringify(mode)}`);
  }
  let offset = 0;
  let manualNow = options.startTime ?? DEFAULT_START_TIME;
  if (!Number.isFinite(manualNow)) throw new TypeError("startTime must be a finite number of ms");
  return {
    mode,
    now() {
      return mode === "manual" ? manualNow : Date.now() + offset;
    },
    advance(ms) {
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
        throw new TypeError("advance(ms) needs a finite, non-negative number");
      }
      if (mode === "manual") manualNow += ms;
      else offset += ms;
      return this.now();
    },
  };
}
