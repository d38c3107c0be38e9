// Compiled by tests/simulator/types.test.mjs in a scratch project where impl/ holds the
// simulator's JavaScript (its types inferred from the code and its JSDoc) and decl/ holds
// simulator/index.d.ts. Every `none<…>()` below compiles only when its type argument is
// `never`; otherwise tsc's error names the members that disagree, as ".path: what".
import * as Node from "./impl/node.js";
import * as Browser from "./impl/index.js";
import type * as Decl from "./decl/index.js";

/** Compiles only when T is never. */
function none<T extends never>(): void {}

type Fn = (...args: any[]) => any;
type Ctor = abstract new (...args: any[]) => any;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Str<K> = K extends string ? K : never;

/**
 * How the code's type I disagrees with the declared type D, as strings naming a path:
 * - keys: every declared member exists in the code, every member of the code is declared;
 * - functions: declared arguments are accepted, return types compared recursively;
 * - classes: constructor arguments accepted, instance types compared;
 * - anything else (arrays, primitives, unions): the code's type is assignable to the declared.
 * (`[X] extends [Y]` everywhere: no distribution over unions.)
 */
type Diff<I, D, P extends string> =
  unknown extends I ? never // `any` (or unknown) in the code: nothing to compare
  : [D] extends [Ctor]
    ? [I] extends [Ctor]
      ? ([ConstructorParameters<D>] extends [ConstructorParameters<I>] ? never : `${P}: constructor arguments`)
        | Diff<InstanceType<I>, InstanceType<D>, `${P}#`>
      : `${P}: not a class in the code`
  : [D] extends [Fn]
    ? [I] extends [Fn]
      ? ([Parameters<D>] extends [Parameters<I>] ? never : `${P}(): arguments`)
        | Diff<ReturnType<I>, ReturnType<D>, `${P}()`>
      : `${P}: not a function in the code`
  : [D] extends [Promise<infer DV>]
    ? [I] extends [Promise<infer IV>] ? Diff<IV, DV, `${P}~>`> : `${P}: not a promise in the code`
  : [D] extends [readonly unknown[] | Date | Request | Response | URL]
    ? ([I] extends [D] ? never : `${P}: type`)
  : [D] extends [object]
    ? [I] extends [object] ? Members<I, D, P> : `${P}: not an object in the code`
  : ([I] extends [D] ? never : `${P}: type`);

type Members<I, D, P extends string> =
  string extends keyof D // a record: compare the value types
    ? Diff<I[keyof I], D[keyof D], `${P}[*]`>
    : | `${P}.${Str<Exclude<keyof I, keyof D>>}: not declared`
      | `${P}.${Str<Exclude<keyof D, keyof I>>}: declared but not in the code`
      | { [K in Str<keyof I & keyof D>]-?: Diff<I[K], D[K], `${P}.${K}`> }[Str<keyof I & keyof D>];

// The Node entry (encore-cloud/simulator in Node) is exactly what index.d.ts declares.
none<Diff<typeof Node, typeof Decl, "module">>();
// The browser entry is the same without the two Node-only functions.
none<Diff<typeof Browser, Omit<typeof Decl, "startSimulatorServer" | "createNodeListener">, "browser">>();
// What createSimulator and startSimulatorServer return (reached through the above, spelled out
// so that a failure names the interface).
none<Diff<ReturnType<typeof Node.createSimulator>, Decl.Simulator, "Simulator">>();
none<Diff<Awaited<ReturnType<typeof Node.startSimulatorServer>>, Decl.SimulatorServer, "SimulatorServer">>();
none<Diff<ReturnType<ReturnType<typeof Node.createSimulator>["config"]>, Decl.SimulatorConfig, "SimulatorConfig">>();
