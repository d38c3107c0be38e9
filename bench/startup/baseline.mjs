// Start-up of the plain-JS baseline: import + construct. Prints the ms since the process
// began, the CPU ms it used (all threads), and the ms the import and the constructor took.
const t0 = performance.now();
const { BaselineClient } = await import("../baseline.mjs");
new BaselineClient({ baseUrl: "http://127.0.0.1:9", clientId: "o2c_x", clientSecret: "s" });
const took = performance.now() - t0;
const cpu = process.cpuUsage();
console.log(performance.now(), (cpu.user + cpu.system) / 1000, took);
