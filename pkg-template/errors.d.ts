/** Base class of every error the client raises. */
export declare class EncoreError extends Error {
  /**
   * True when a call that is not safe to repeat (a rollout trigger, an invitation) may or may
   * not have taken effect (a 500/502/504, a timeout or a connection dropped after sending). The
   * message says what to do: for a trigger, look on the Encore dashboard before triggering
   * again (which may start a second rollout of the same commit); for an invitation, check with
   * `listMembers`.
   */
  outcomeUnknown?: true;
}
/** The API answered with a non-2xx status. */
export declare class EncoreApiError extends EncoreError {
  /** HTTP status (0 for a redirect that a browser hid: see the README, "Redirects"). */
  status: number;
  /** Machine-readable code: Encore's (`not_found`, …), OAuth's (`invalid_client`, …) or derived from the status. */
  code: string;
  /** The server's details, parsed; `null` when it sent none. */
  details: unknown;
  /** Seconds the server asked to wait (`Retry-After`), when it sent one. */
  retryAfter?: number;
}
/** No answer: the connection failed or was dropped. */
export declare class EncoreConnectionError extends EncoreError {}
/** An attempt took longer than `timeoutMs` (or `waitForRollout` passed its deadline). */
export declare class EncoreTimeoutError extends EncoreError {
  code?: string;
}
/** A 2xx answer whose body is not the documented shape. */
export declare class EncoreProtocolError extends EncoreError {
  status?: number;
}
/** Bad arguments or configuration, found before any request was sent. */
export declare class EncoreValidationError extends EncoreError {}
/** The caller's AbortSignal fired; `name` is "AbortError". */
export declare class EncoreAbortError extends EncoreError {}
/** A webhook delivery was refused (`verifyWebhook`, `webhookFromRequest`). */
export declare class EncoreWebhookError extends EncoreError {
  /** Why: a missing or malformed header, no matching signature, a timestamp out of tolerance, or a signed body that is not an event. */
  code: "missing_signature" | "invalid_signature_header" | "no_valid_signature" | "too_old" | "too_new" | "invalid_payload" | "too_large";
}
