// Start-up baseline: bare node running an empty module; prints ms since the process began.
console.log(performance.now());
