// Types of `encore-cloud/simulator`: a local Encore Cloud API for tests and demos.
// tests/simulator/types.test.mjs checks these declarations against the code (every member
// declared exists, every member of the code is declared, return types agree both ways).

/** A scenario a rollout follows. */
export type SimulatorScenario = "success" | "build_failure" | "infra_approval" | "canceled";

/** What an OAuth client may do: trigger and read rollouts, manage members. */
export type SimulatorScope = "rollouts" | "members";

/** A member's role; "none" removes the member. */
export type SimulatorMemberRole = "owner" | "writer" | "reader" | "none";

/** An OAuth client of the simulator. */
export interface SimulatorClient {
  clientId: string;
  clientSecret: string;
  /** Default: all scopes. Without "members", the members endpoints answer 403. */
  scopes?: readonly SimulatorScope[];
}

/** A member as configured (missing times become Go's zero time, missing strings ""). */
export interface SimulatorMemberSpec {
  email: string;
  role: "owner" | "writer" | "reader";
  invited?: string | number | Date | null;
  accepted?: string | number | Date | null;
  expires?: string | number | Date | null;
  username?: string;
  full_name?: string;
  picture_url?: string;
}

/** An app of the simulator. */
export interface SimulatorApp {
  envs: string[];
  /** The scenario of every rollout of this app (a `scenarios.byBranch` entry wins). */
  scenario?: SimulatorScenario;
  /** Its first members; default one owner, owner@example.com. */
  members?: SimulatorMemberSpec[];
}

/** Options of `createSimulator` (and `startSimulatorServer`). */
export interface SimulatorOptions {
  /** OAuth clients; default one demo client (`DEMO_CLIENT`) with every scope. */
  clients?: SimulatorClient[];
  /** Apps and their environments; default `DEFAULT_APPS`. */
  apps?: Record<string, SimulatorApp>;
  /** Lifetime of issued tokens; default 3600. */
  tokenLifetimeSeconds?: number;
  /** Multiplies every phase duration; default 1. */
  timeScale?: number;
  /** Phase durations in ms before scaling. */
  phaseDurations?: { queue?: number; build?: number; handoff?: number; infra?: number; deploy?: number };
  /** Wrap answers as `{"ok": …, "data": …}` like the platform. */
  envelope?: boolean;
  /** Scenario per branch name. */
  scenarios?: { byBranch?: Record<string, SimulatorScenario> };
  /** "real" (default) or "manual" (moves only with `clock.advance`). */
  clock?: "real" | "manual";
  /** Start of the manual clock, epoch ms. */
  startTime?: number;
  /** How webhook deliveries are sent; default the global `fetch`. */
  webhookFetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** A webhook subscription as the control API shows it (never its secret). */
export interface SimulatorWebhook {
  id: string;
  url: string;
  /** The event types it receives; `null` = all. */
  events: string[] | null;
  created_at: string;
  /** The last sequence id sent. */
  sequence_id: number;
  /** True while an old secret still signs too (a second `v1`). */
  rotating: boolean;
}

/** One delivery attempt (never retried). */
export interface SimulatorWebhookDelivery {
  webhook_id: string;
  event_id: string;
  sequence_id: number;
  type: string;
  /** The receiver's HTTP status, `null` when it could not be reached (see `error`). */
  status: number | null;
  error: string | null;
  time: number;
  /** How many `v1` signatures the header carried. */
  signatures: number;
}

/** A fault for the next `count` matching requests. */
export interface FaultSpec {
  count?: number;
  /** Path prefix to match. */
  path?: string;
  method?: string;
  status?: number;
  body?: string | object;
  headers?: Record<string, string>;
  /** Sets `Retry-After`. */
  retryAfter?: string | number;
  delayMs?: number;
  /** Drop the connection after the request arrived. */
  drop?: boolean;
  /** Never answer. */
  hang?: boolean;
  /** A 200 with a body of this many bytes. */
  bodyBytes?: number;
}

/** A pending fault, as `addFault` normalised it (`null`: not set; `count`: uses left). */
export interface SimulatorFault {
  count: number;
  path: string | null;
  method: string | null;
  status: number | null;
  body: string | object | null;
  headers: Record<string, string>;
  retryAfter: string | null;
  delayMs: number;
  drop: boolean;
  hang: boolean;
  bodyBytes: number | null;
}

/** The rate limit in force, from `setRateLimit`. */
export interface SimulatorRateLimit {
  limit: number;
  windowMs: number;
  /** Seconds sent in `Retry-After`; null: until the window ends. */
  retryAfter: number | null;
  /** Path prefix limited; null: every API call but the token endpoint. */
  path: string | null;
}

/** One handled request in the simulator's log (secrets redacted). */
export interface SimulatorRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** null while the answer is pending (a delay or hang), or when none was sent (drop, abort). */
  status: number | null;
  /** Simulator clock, epoch ms. */
  time: number;
  /** A fault answered it. */
  fault?: true;
  /** How a fault ended without an answer. */
  outcome?: "drop" | "aborted";
  /** The rate limit answered it (429). */
  rateLimited?: true;
}

/** A phase of a rollout as the wire carries it (timestamps are RFC 3339 strings). */
export interface SimulatorPhase {
  id: string;
  status: string;
  conclusion: string;
  queued_at: string | null;
  started_at: string | null;
  completed_at: string | null;
}

/** A rollout as the wire carries it (see API.md), from the control methods. */
export interface SimulatorRollout {
  id: string;
  status: "queued" | "running" | "completed";
  conclusion: "pending" | "canceled" | "failure" | "success";
  queued_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  build: SimulatorPhase;
  infra: SimulatorPhase;
  deploy: SimulatorPhase;
}

/** The public configuration, also served as `GET /__sim/config`. */
export interface SimulatorConfig {
  /** Every client (no secrets). */
  clients: { clientId: string }[];
  /** The scopes of each client. */
  clientScopes: Record<string, SimulatorScope[]>;
  apps: Record<string, SimulatorApp>;
  /** The demo client's credentials (public by design). */
  demoClient: { clientId: string; clientSecret: string };
  envelope: boolean;
  scenarios: SimulatorScenario[];
  branchConventions: Record<string, SimulatorScenario>;
}

/** A simulator instance. */
export interface Simulator {
  /** The fetch handler. */
  handle(request: Request): Promise<Response>;
  /** Same signature as `fetch`: pass it as a client's `fetch` option to run in-process. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The clock every rule reads; `advance` returns the new time (epoch ms). */
  clock: { mode: "real" | "manual"; now(): number; advance(ms: number): number };
  requests: SimulatorRequest[];
  /** Requests seen for a method (null or "*": any) and path prefix. */
  count(method?: string | null, pathPrefix?: string): number;
  /** Clients (no secrets), apps, the demo credentials, scenarios. */
  config(): SimulatorConfig;
  /** Queue a fault; TypeError for a bad spec. */
  addFault(spec: FaultSpec): SimulatorFault;
  /** Remove every pending fault; returns how many there were. */
  clearFaults(): number;
  /** The pending faults. */
  listFaults(): SimulatorFault[];
  /** Set a rate limit, or remove it with null (then returns null). */
  setRateLimit(spec: { limit: number; windowMs?: number; retryAfter?: number; path?: string } | null): SimulatorRateLimit | null;
  /** A rollout's current state (no auth), or null for an unknown id. */
  getRollout(rolloutId: string): SimulatorRollout | null;
  /** Approve a proposed infra change; throws SimulatorError (404 unknown, 409 nothing proposed). */
  approve(rolloutId: string): SimulatorRollout;
  /** Reject a proposed infra change; throws SimulatorError (404, 409). */
  reject(rolloutId: string): SimulatorRollout;
  /** Cancel a rollout that is not completed; throws SimulatorError (404, 409). */
  cancel(rolloutId: string): SimulatorRollout;
  /** Revoke a client's tokens (and with `disable` refuse it new ones); returns how many. */
  revokeClient(clientId: string, options?: { disable?: boolean }): number;
  /**
   * Add an OAuth client until `reset` (default: random id and secret, every scope). Returns
   * its id and scopes, and its secret only when generated. SimulatorError 409 for a taken id.
   */
  addClient(spec?: { clientId?: string; clientSecret?: string; scopes?: readonly SimulatorScope[] }): {
    clientId: string;
    scopes: SimulatorScope[];
    clientSecret?: string;
  };
  /** Webhook subscriptions; events are delivered as the clock passes their instants. */
  webhooks: {
    subscribe(spec: { url: string; secret: string; events?: string[] }): SimulatorWebhook;
    list(): SimulatorWebhook[];
    remove(id: string): { removed: string };
    /** A new secret; the old one keeps signing too for `overlapSeconds` (default 3600). */
    rotate(id: string, spec: { secret: string; overlapSeconds?: number }): SimulatorWebhook;
    deliveries(): SimulatorWebhookDelivery[];
    /** Sends every event that is due now; returns how many deliveries were queued. */
    pump(): number;
    /** Resolves once every delivery under way has finished. */
    idle(): Promise<void>;
    /** Forgets subscriptions, emitted events and the delivery log (`reset` calls it). */
    reset(): void;
  };
  /** Clear rollouts, tokens, added clients, faults, rate limit, members, webhooks, the log; keeps the clock. */
  reset(): void;
}

/** Creates a simulator (browser-safe: standard Web APIs only). */
export function createSimulator(options?: SimulatorOptions): Simulator;

/** An error thrown by the control methods (`approve` of an unknown id, …). */
export declare class SimulatorError extends Error {
  /**
   * @param code Encore error code, e.g. "not_found".
   * @param status Defaults to the code's HTTP status.
   */
  constructor(code: string, message: string, details?: unknown, status?: number);
  code: string;
  status: number;
  details: unknown;
}

/** The demo OAuth client (public by design). */
export const DEMO_CLIENT: { readonly clientId: string; readonly clientSecret: string };
/** The default apps. */
export const DEFAULT_APPS: Readonly<Record<string, { envs: string[] }>>;
/** Every scenario. */
export const SCENARIOS: readonly SimulatorScenario[];
/** Every client scope. */
export const SCOPES: readonly SimulatorScope[];
/** Every member role. */
export const MEMBER_ROLES: readonly SimulatorMemberRole[];
/** Go's zero time, which the API sends for an unset time: `"0001-01-01T00:00:00Z"`. */
export const GO_ZERO_TIME: string;
/** Branch names that select a scenario. */
export const BRANCH_CONVENTIONS: Readonly<Record<string, SimulatorScenario>>;
/** Default phase durations, ms. */
export const DEFAULT_PHASE_DURATIONS: Readonly<{ queue: number; build: number; handoff: number; infra: number; deploy: number }>;

/** A running simulator server (Node only). */
export interface SimulatorServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  simulator: Simulator;
  /** The underlying `node:http` Server (typed `unknown` so that no Node types are needed). */
  server: unknown;
  close(): Promise<void>;
}

/** Starts the simulator behind node:http (Node only). CORS is on for every answer. */
export function startSimulatorServer(options?: { port?: number; host?: string } & SimulatorOptions): Promise<SimulatorServer>;

/** Turns a fetch handler into a node:http request listener (Node only). */
export function createNodeListener(
  fetchHandler: (request: Request) => Promise<Response>,
): (req: unknown, res: unknown) => Promise<void>;

/** The webhook event types the simulator sends. */
export const WEBHOOK_EVENT_TYPES: readonly string[];
/** HMAC-SHA256 of `"<t>.<body>"` keyed with `secret`, base64url without padding (as Encore signs). */
export function signWebhook(secret: string, t: number, body: string | Uint8Array): Promise<string>;
