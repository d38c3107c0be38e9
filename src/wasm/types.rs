//! TypeScript declarations for the option objects and small result types (functions and
//! signals are not serde models, so they are written here; the models come from tsify).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &str = r#"
/** A timestamp of a model: a `Date`, or `null` when absent, null or Go's zero time. */
export type DateOrNull = Date | null;

/** Options of `new EncoreClient(...)`: give `clientId` + `clientSecret`, or `accessToken`. */
export interface EncoreClientOptions {
  /** The OAuth client's id (`o2c_…`). */
  clientId?: string;
  /** The OAuth client's secret. Keep it on servers; see `dangerouslyAllowBrowser`. */
  clientSecret?: string;
  /** A token you already have, or a function asked for one before each request (and after a 401). */
  accessToken?: string | (() => string | Promise<string>);
  /** Default "https://api.encore.dev" ("https://api.encore.cloud" works too). May carry a path prefix, but not a trailing "/api". */
  baseUrl?: string;
  /** How client credentials reach the token endpoint. Default "body" (RFC 6749 §2.3.1). */
  tokenAuthStyle?: "body" | "query";
  /** Time limit of each attempt, body included, in ms. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt (0–10). Default 2. */
  maxRetries?: number;
  /** A custom fetch; defaults to the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Appended to the `User-Agent` (Node only; browsers send their own). */
  userAgent?: string;
  /** Receives one event per HTTP attempt. Nothing is logged without it. */
  logger?: (event: AttemptEvent) => void;
  /** Allow `clientSecret` in a browser, where anyone who opens the page can read it. */
  dangerouslyAllowBrowser?: boolean;
}

/** Per-call options. */
export interface RequestOptions {
  /** Cancels the call (request, retry wait, token wait); the promise rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt time limit for this call. */
  timeoutMs?: number;
}

/** Options of `waitForRollout`. */
export interface WaitForRolloutOptions {
  /** Poll interval in ms; default 5000, never below 1000; grows gently while nothing changes. */
  intervalMs?: number;
  /** Overall deadline of the whole wait in ms (polls and pauses); default none. */
  deadlineMs?: number;
  /** @deprecated The overall deadline under its old name: use `deadlineMs`. */
  timeoutMs?: number;
  /** Cancels the wait at once. */
  signal?: AbortSignal;
  /**
   * Called with each changed state (the first included) and awaited before the next poll;
   * if it throws (or its promise rejects) the wait ends at once with that error.
   */
  onUpdate?: (rollout: Rollout) => void | Promise<void>;
}

/** One HTTP attempt, for `logger`. Paths never contain secrets. */
export interface AttemptEvent {
  method: "GET" | "POST" | "PUT";
  path: string;
  attempt: number;
  status: number | null;
  failure: "connection_refused" | "connection_failed" | "timeout" | "aborted" | "body_too_large" | "internal" | null;
  durationMs: number;
  retryInMs: number | null;
}

/** Where a rollout stands, from `summarizeRollout`. */
export interface RolloutSummary {
  /** The current phase (or the last that ran, once done). */
  phase: "build" | "infra" | "deploy" | null;
  /** That phase's status. */
  phaseStatus: string;
  status: Rollout["status"];
  conclusion: Rollout["conclusion"];
  done: boolean;
  /** Since the rollout was queued (until it completed). */
  elapsedMs: number | null;
  /** One line, such as "build running · 1m 12s". */
  text: string;
}
"#;
