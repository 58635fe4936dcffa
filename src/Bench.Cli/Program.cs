using Bench.Cli;

// The client and the embedded simulator share this process: keep the thread pool from starving (every verb, not
// only those that run a load; see ThreadPoolFloor).
Bench.Core.Hosting.ThreadPoolFloor.Ensure();
return await BenchCommand.InvokeAsync(args).ConfigureAwait(false);
