// Test harness (loaded with --import into one node process only): on SIGUSR2 the process creates
// a promise rejection that nobody handles, as a bug in request handling would.
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('injected unhandled rejection'));
});
