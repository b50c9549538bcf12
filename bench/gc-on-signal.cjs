// Preloaded (--require) into every server the bench measures, with --expose-gc: SIGUSR2 runs a full
// garbage collection, so idle memory per connection is read from RSS after garbage is gone, the same
// way for all three servers. Bench-only instrumentation; Beacon's own code is not changed by it.
process.on("SIGUSR2", () => {
  if (typeof global.gc === "function") global.gc();
});
