using System.CommandLine;
using Bench.Cli.Commands;

// The client and the embedded simulator share this process: keep the thread pool from starving (every verb, not
// only those that run a load; see ThreadPoolFloor).
Bench.Core.Hosting.ThreadPoolFloor.Ensure();

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
