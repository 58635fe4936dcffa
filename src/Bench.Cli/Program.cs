using Bench.Cli;
using Bench.Harness.Running;

// The client and the embedded simulator share this process: keep the thread pool from starving (every verb, not
// only those that run a load; see ThreadPoolFloor).
Bench.Core.Hosting.ThreadPoolFloor.Ensure();

// SIGINT and SIGTERM: the first cancels the verb (a run still writes its report, marked as interrupted), a second ends
// the process at once. Bench handles them itself; System.CommandLine's handler stays off (see Interrupts).
using var interrupts = Interrupts.Listen(Console.Error);
return await BenchCommand.InvokeAsync(args, interrupts: interrupts).ConfigureAwait(false);
