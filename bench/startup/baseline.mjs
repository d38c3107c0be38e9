// Start-up of the plain-JS baseline: import + construct. Prints the ms since the process
// began and the CPU ms it used (all threads).
import { BaselineClient } from "../baseline.mjs";

new BaselineClient({ baseUrl: "http://127.0.0.1:9", clientId: "o2c_x", clientSecret: "s" });
const cpu = process.cpuUsage();
console.log(performance.now(), (cpu.user + cpu.system) / 1000);
