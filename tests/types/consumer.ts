// A TypeScript (ESM) consumer of encore-cloud: the whole public API with precise types.
// Every `@ts-expect-error` line must be a compile error; `tsc` fails on an unused one.
import {
  EncoreAbortError, EncoreApiError, EncoreClient, EncoreConnectionError, EncoreError,
  EncoreProtocolError, EncoreTimeoutError, EncoreValidationError, isRolloutDone, summarizeRollout,
} from "encore-cloud";
import type {
  AttemptEvent, BuildConclusion, BuildStatus, DeployConclusion, DeployStatus, EncoreClientOptions,
  InfraConclusion, InfraStatus, Member, MemberRole, RequestOptions, Rollout, RolloutConclusion, RolloutPhase,
  RolloutStatus, RolloutSummary, Token, TriggerRollout, WaitForRolloutOptions,
} from "encore-cloud";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): T | void {}

// Exact unions: no widening to string, nothing missing.
assertType<Equal<RolloutStatus, "pending" | "queued" | "running" | "completed">>();
assertType<Equal<RolloutConclusion, "pending" | "canceled" | "failure" | "success">>();
assertType<Equal<BuildStatus, "queued" | "running" | "completed">>();
assertType<Equal<BuildConclusion, "unknown" | "canceled" | "failure" | "success">>();
assertType<Equal<InfraStatus, "pending" | "proposed" | "queued" | "running" | "completed">>();
assertType<Equal<InfraConclusion, "unknown" | "canceled" | "failure" | "rejected" | "success">>();
assertType<Equal<DeployStatus, "queued" | "running" | "completed">>();
assertType<Equal<DeployConclusion, "unknown" | "canceled" | "failure" | "success">>();
assertType<Equal<Rollout["queued_at"], Date | null>>();
assertType<Equal<Rollout["infra"], RolloutPhase<InfraStatus, InfraConclusion>>>();
assertType<Equal<Token["token_type"], "Bearer">>();
assertType<Equal<ReturnType<EncoreClient["triggerRollout"]>, Promise<Rollout>>>();
assertType<Equal<ReturnType<typeof isRolloutDone>, boolean>>();
assertType<Equal<RolloutSummary["phase"], "build" | "infra" | "deploy" | null>>();
assertType<Equal<MemberRole, "owner" | "writer" | "reader" | "none">>();
assertType<Equal<Member["accepted"], Date | null>>();
assertType<Equal<Member["invited"], Date | null>>();
assertType<Equal<Member["username"], string>>();
assertType<Equal<ReturnType<EncoreClient["listMembers"]>, Promise<Member[]>>>();
assertType<Equal<ReturnType<EncoreClient["inviteMember"]>, Promise<Member>>>();
assertType<Equal<ReturnType<EncoreClient["updateMemberRole"]>, Promise<void>>>();

export async function members(client: EncoreClient, signal: AbortSignal): Promise<void> {
  const all: Member[] = await client.listMembers("my-app", { signal });
  const invited: Member = await client.inviteMember("my-app", { email: "ada@example.com", role: "writer" });
  await client.updateMemberRole("my-app", { email: invited.email, role: "none" }, { timeoutMs: 5000 });
  const when: Date | null = invited.accepted;
  void [all, when];
  // @ts-expect-error: "admin" is not a MemberRole
  await client.inviteMember("my-app", { email: "ada@example.com", role: "admin" });
  // @ts-expect-error: accepted is a Date or null, not a string
  const accepted: string = invited.accepted;
  // @ts-expect-error: email is required
  await client.updateMemberRole("my-app", { role: "reader" });
  void accepted;
}
assertType<Equal<AttemptEvent["method"], "GET" | "POST" | "PUT">>();

const options: EncoreClientOptions = {
  clientId: "o2c_demo_client",
  clientSecret: "demo-secret-do-not-use",
  baseUrl: "http://127.0.0.1:4000",
  tokenAuthStyle: "query",
  timeoutMs: 10_000,
  maxRetries: 3,
  userAgent: "consumer/1.0",
  fetch: (input: string, init: RequestInit) => fetch(input, init),
  logger: (event: AttemptEvent) => {
    const status: number | null = event.status;
    const failure: "connection_refused" | "connection_failed" | "timeout" | "aborted" | "body_too_large" | "internal" | null = event.failure;
    void [status, failure, event.path, event.attempt, event.durationMs, event.retryInMs];
  },
  dangerouslyAllowBrowser: false,
};
const client = new EncoreClient(options);
const byToken = new EncoreClient({ accessToken: "tok" });
const plainFetch = new EncoreClient({ accessToken: "tok", fetch });
const byTokenFn = new EncoreClient({ accessToken: async () => "tok" });
const described: string = client.toString();
const json: { baseUrl: string; clientId?: string } = client.toJSON();
void [byToken, plainFetch, byTokenFn, described, json];

// @ts-expect-error: misspelled option name
new EncoreClient({ clientId: "a", clientSecret: "b", tokenAuthstyle: "query" });
// @ts-expect-error: wrong option type
new EncoreClient({ clientId: "a", clientSecret: "b", maxRetries: "2" });
// @ts-expect-error: not a token auth style
new EncoreClient({ clientId: "a", clientSecret: "b", tokenAuthStyle: "header" });
// @ts-expect-error: the constructor needs an options object
new EncoreClient();

function describePhase(p: RolloutPhase<InfraStatus, InfraConclusion>): string {
  switch (p.status) {
    case "proposed":
      return "awaiting approval";
    case "pending":
    case "queued":
    case "running":
      return p.status;
    case "completed": {
      const c: InfraConclusion = p.conclusion;
      return c === "rejected" ? "rejected by a human" : c;
    }
    default: {
      const never: never = p.status; // exhaustive
      return never;
    }
  }
}

export async function main(signal: AbortSignal): Promise<void> {
  const token: Token = await client.getToken({ signal });
  const accessToken: string = token.access_token;
  const expiresIn: number = token.expires_in;
  void [accessToken, expiresIn, token.actor];

  const req: TriggerRollout = { sha: "0123abc", skip_tests: true, force_rebuild: false };
  const r: Rollout = await client.triggerRollout("my-app", "prod", req);
  const byBranch: Rollout = await client.triggerRollout("my-app", "staging", { branch: "main" }, { timeoutMs: 5000 });
  const queuedMs: number | undefined = r.queued_at?.getTime();
  const started: Date | null = r.started_at;
  const iso: string | undefined = r.completed_at?.toISOString();
  void [byBranch, queuedMs, started, iso];

  if (r.status === "completed") {
    const c: RolloutConclusion = r.conclusion;
    void c;
  } else {
    const s: "pending" | "queued" | "running" = r.status;
    void s;
  }
  const build: BuildStatus = r.build.status;
  const deploy: DeployConclusion = r.deploy.conclusion;
  void [build, deploy, describePhase(r.infra)];

  const requestOptions: RequestOptions = { signal, timeoutMs: 2000 };
  const current: Rollout = await client.getRollout("my-app", r.id, requestOptions);
  const waitOptions: WaitForRolloutOptions = {
    intervalMs: 2000,
    deadlineMs: 60_000,
    signal,
    onUpdate: (x: Rollout) => console.log(summarizeRollout(x).text),
  };
  const done: Rollout = await client.waitForRollout("my-app", current.id, waitOptions);
  const finished: boolean = isRolloutDone(done);
  const summary: RolloutSummary = summarizeRollout(done, new Date());
  const elapsed: number | null = summary.elapsedMs;
  void [finished, elapsed, summary.done, summary.phaseStatus];

  // @ts-expect-error: "bogus" is not a RolloutStatus (no overlap)
  if (r.status === "bogus") console.log("never");
  // @ts-expect-error: not an infra status either
  if (r.infra.status === "awaiting_approval") console.log("never");
  // @ts-expect-error: a timestamp is a Date | null, not a string
  const s: string = r.queued_at;
  // @ts-expect-error: not even after the null check
  const s2: string = r.queued_at ?? "";
  // @ts-expect-error: possibly null
  r.queued_at.getTime();
  // @ts-expect-error: neither sha nor branch
  await client.triggerRollout("my-app", "prod", {});
  // @ts-expect-error: only flags, neither sha nor branch
  await client.triggerRollout("my-app", "prod", { skip_tests: true });
  // @ts-expect-error: both sha and branch
  await client.triggerRollout("my-app", "prod", { sha: "abc", branch: "main" });
  // @ts-expect-error: flags are booleans
  await client.triggerRollout("my-app", "prod", { sha: "abc", force_rebuild: "yes" });
  // @ts-expect-error: misspelled flag
  await client.triggerRollout("my-app", "prod", { sha: "abc", skipTests: true });
  // @ts-expect-error: misspelled per-call option
  await client.getRollout("my-app", r.id, { timeout: 5 });
  // @ts-expect-error: wrong wait option type
  await client.waitForRollout("my-app", r.id, { intervalMs: "1s" });
  // @ts-expect-error: a Rollout is not a Token
  const t: Token = r;
  void [s, s2, t];
}

export function handle(e: unknown): string {
  if (e instanceof EncoreApiError) {
    const status: number = e.status;
    const code: string = e.code;
    const details: unknown = e.details;
    const retryAfter: number | undefined = e.retryAfter;
    void [status, code, details, retryAfter];
    return `${e.name}: ${e.message}`;
  }
  if (e instanceof EncoreTimeoutError) return `timeout ${e.code ?? ""}`;
  if (e instanceof EncoreProtocolError) return `protocol ${e.status ?? ""}`;
  if (e instanceof EncoreConnectionError || e instanceof EncoreValidationError || e instanceof EncoreAbortError) {
    return e.message;
  }
  if (e instanceof EncoreError) {
    const err: Error = e;
    // @ts-expect-error: only EncoreApiError has a status
    const status: number = e.status;
    void [err, status];
    return e.name;
  }
  return String(e);
}
