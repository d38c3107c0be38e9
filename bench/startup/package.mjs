// Start-up of the package: ESM import of the Node entry + construct. Prints the ms since the
// process began, the CPU ms it used (all threads: wasm compilation included), and the ms the
// import and the constructor took, timed around them (no process start-up noise in it).
const t0 = performance.now();
const { EncoreClient } = await import("../../pkg/index.node.js");
new EncoreClient({ baseUrl: "http://127.0.0.1:9", clientId: "o2c_x", clientSecret: "s" });
const took = performance.now() - t0;
const cpu = process.cpuUsage();
console.log(performance.now(), (cpu.user + cpu.system) / 1000, took);
