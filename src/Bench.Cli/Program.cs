using System.CommandLine;
using Bench.Cli.Commands;

// The client and the embedded simulator share this process. On a 2-core machine the thread pool starts with 2
// threads and grows slowly, so one blocking call (file I/O, console rendering) can hold up request continuations for
// hundreds of milliseconds — time the harness would then report as the endpoint's. A higher floor keeps the pool
// from starving; idle threads cost nothing measurable.
ThreadPool.GetMinThreads(out var workers, out var completionPorts);
ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(completionPorts, 32));

var root = new RootCommand("Bench: measure OpenAI-compatible LLM APIs — streaming against non-streaming, model by model, with cost.")
{
    RunCommand.Create(),
    SimulateCommand.Create(),
    ReportCommand.Create(),
    CostCommand.Create(),
    InspectCommand.Create(),
    SelftestCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
