// Start-up baseline: bare node running an empty module. Prints the ms since the process
// began and the CPU ms it used (all threads).
const cpu = process.cpuUsage();
console.log(performance.now(), (cpu.user + cpu.system) / 1000);
