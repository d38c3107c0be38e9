// Start-up baseline: bare node running an empty module. Prints the ms since the process
// began, the CPU ms it used (all threads), and 0 (nothing imported).
const cpu = process.cpuUsage();
console.log(performance.now(), (cpu.user + cpu.system) / 1000, 0);
