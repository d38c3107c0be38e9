// `free()` (and `[Symbol.dispose]()`, so `using client = new EncoreClient(…)` works) releases a
// client's wasm memory at once instead of at garbage collection. Afterwards the wasm object is
// gone: without this guard every method would throw wasm-bindgen's bare
// `Error: null pointer passed to rust`. With it, calls reject with an EncoreValidationError that
// says what happened, and printing the client still works. Installed once by each entry.
import { EncoreValidationError } from "./errors.js";

/** Freed clients → what they printed before (`toString`, `toJSON`). */
const freed = new WeakMap();

const message = "this EncoreClient was freed (free() or [Symbol.dispose]() was called): create a new client";

/** Wraps `Client`'s prototype methods: API calls (which return promises) reject once freed. */
export function guardFree(Client) {
  const proto = Client.prototype;
  const free = proto.free;
  proto.free = function freeOnce() {
    if (freed.has(this)) return;
    const printed = { text: `${this.toString()} (freed)`, json: this.toJSON() };
    free.call(this);
    freed.set(this, printed);
  };
  if (typeof Symbol.dispose === "symbol") proto[Symbol.dispose] = proto.free;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = proto[name];
    // The glue's own helpers (`__destroy_into_raw`) stay as they are.
    if (name === "constructor" || name === "free" || name.startsWith("__") || typeof method !== "function") continue;
    const printing = name === "toString" ? "text" : name === "toJSON" ? "json" : null;
    proto[name] = {
      [name](...args) {
        const gone = freed.get(this);
        if (gone === undefined) return method.apply(this, args);
        if (printing) return gone[printing];
        return Promise.reject(new EncoreValidationError(message));
      },
    }[name];
  }
}
