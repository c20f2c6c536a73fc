// Preloaded into a measured process: prints its peak resident set size (MB) on stderr as it exits.
const started = performance.now();
process.on('exit', () => {
  process.stderr.write(
    `\nBENCH ${JSON.stringify({
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      ms: performance.now() - started,
      // CPU time (user + system): what the command itself cost, whatever else the machine was doing.
      cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
    })}\n`,
  );
});
