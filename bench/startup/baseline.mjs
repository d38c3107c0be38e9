// Start-up of the plain-JS baseline: import + construct; prints ms since the process began.
import { BaselineClient } from "../baseline.mjs";

new BaselineClient({ baseUrl: "http://127.0.0.1:9", clientId: "o2c_x", clientSecret: "s" });
console.log(performance.now());
