// Start-up of the package: ESM import of the Node entry + construct. Prints the ms since the
// process began and the CPU ms it used (all threads: wasm compilation included).
import { EncoreClient } from "../../pkg/index.node.js";

new EncoreClient({ baseUrl: "http://127.0.0.1:9", clientId: "o2c_x", clientSecret: "s" });
const cpu = process.cpuUsage();
console.log(performance.now(), (cpu.user + cpu.system) / 1000);
