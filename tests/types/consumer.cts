// A TypeScript CommonJS consumer: `import … = require()` resolves the "require" condition
// (index.d.cts / index.cjs).
import encore = require("encore-cloud");
import simulator = require("encore-cloud/simulator");

// The simulator's types resolve through the "require" condition too.
export const started: Promise<simulator.SimulatorServer> = simulator.startSimulatorServer({ port: 0 });

const client = new encore.EncoreClient({ accessToken: () => "tok", baseUrl: "http://127.0.0.1:4000" });

export async function run(): Promise<string> {
  const r: encore.Rollout = await client.triggerRollout("demo-app", "production", { branch: "main" });
  const at: number | undefined = r.queued_at?.getTime();
  void at;
  try {
    const done: encore.Rollout = await client.waitForRollout("demo-app", r.id, { intervalMs: 1000 });
    return encore.summarizeRollout(done).text + String(encore.isRolloutDone(done));
  } catch (e) {
    if (e instanceof encore.EncoreApiError) return `${e.status} ${e.code}`;
    if (e instanceof encore.EncoreError) return e.name;
    throw e;
  }
}

export function wrong(r: encore.Rollout): void {
  // @ts-expect-error: "bogus" is not a RolloutStatus
  if (r.status === "bogus") return;
  // @ts-expect-error: neither sha nor branch
  void client.triggerRollout("demo-app", "production", {});
  // @ts-expect-error: a timestamp is not a string
  const s: string = r.completed_at;
  void s;
}
