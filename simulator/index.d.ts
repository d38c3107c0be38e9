// Types of `encore-cloud/simulator`: a local Encore Cloud API for tests and demos.

/** A scenario a rollout follows. */
export type SimulatorScenario = "success" | "build_failure" | "infra_approval" | "canceled";

/** Options of `createSimulator` (and `startSimulatorServer`). */
export interface SimulatorOptions {
  /** OAuth clients; default one demo client (`DEMO_CLIENT`). */
  clients?: { clientId: string; clientSecret: string }[];
  /** Apps and their environments; default `DEFAULT_APPS`. */
  apps?: Record<string, { envs: string[]; scenario?: SimulatorScenario; members?: object[] }>;
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
  retryAfter?: string;
  delayMs?: number;
  /** Drop the connection after the request arrived. */
  drop?: boolean;
  /** Never answer. */
  hang?: boolean;
  /** A 200 with a body of this many bytes. */
  bodyBytes?: number;
}

/** One handled request in the simulator's log (secrets redacted). */
export interface SimulatorRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  time: number;
  fault?: boolean;
}

/** A simulator instance. */
export interface Simulator {
  /** The fetch handler. */
  handle(request: Request): Promise<Response>;
  /** Same signature as `fetch`: pass it as a client's `fetch` option to run in-process. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  clock: { mode: "real" | "manual"; now(): number; advance(ms: number): void };
  requests: SimulatorRequest[];
  /** Requests seen for a method and path prefix. */
  count(method?: string | null, pathPrefix?: string): number;
  addFault(spec: FaultSpec): FaultSpec;
  clearFaults(): number;
  setRateLimit(spec: { limit: number; windowMs?: number; retryAfter?: number; path?: string } | null): void;
  approve(rolloutId: string): unknown;
  reject(rolloutId: string): unknown;
  cancel(rolloutId: string): unknown;
  revokeClient(clientId: string, options?: { disable?: boolean }): number;
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
  };
  reset(): void;
}

/** Creates a simulator (browser-safe: standard Web APIs only). */
export function createSimulator(options?: SimulatorOptions): Simulator;

/** An error thrown by the control methods (`approve` of an unknown id, …). */
export declare class SimulatorError extends Error {
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
/** Branch names that select a scenario. */
export const BRANCH_CONVENTIONS: Readonly<Record<string, SimulatorScenario>>;
/** Default phase durations, ms. */
export const DEFAULT_PHASE_DURATIONS: Readonly<Record<string, number>>;

/** A running simulator server (Node only). */
export interface SimulatorServer {
  url: string;
  port: number;
  simulator: Simulator;
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
