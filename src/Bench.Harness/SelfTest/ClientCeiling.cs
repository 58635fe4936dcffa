using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Bench.Core.Client;
using Bench.Core.Records;
using Bench.Core.Text;
using Bench.Core.Tokens;
using OpenAI;
using OpenAI.Chat;
using BenchChatClient = Bench.Core.Client.ChatClient;
using BenchChatMessage = Bench.Core.Client.ChatMessage;
using SdkChatClient = OpenAI.Chat.ChatClient;

namespace Bench.Harness.SelfTest;

/// <summary>
/// The client ceiling: closed load at rising concurrency against the simulator in a child process, streaming
/// <see cref="SelfTestProfiles.FastModel"/> (100 one-token SSE events per answer), measured with Bench's own
/// <see cref="BenchChatClient"/> and with the official OpenAI .NET SDK
/// (<see cref="SdkChatClient.CompleteChatStreamingAsync(IEnumerable{OpenAI.Chat.ChatMessage}, ChatCompletionOptions, CancellationToken)"/>)
/// sending the same requests, and Bench's client again with local token counting off. Each client's steps stop after two consecutive steps whose events/s rise less than 5 % over the best step so far.
/// </summary>
internal sealed class ClientCeiling
{
    /// <summary>A step must beat the best events/s so far by this factor for the concurrency to keep rising.</summary>
    public const double RiseFactor = 1.05;

    /// <summary>Consecutive steps without that rise after which the concurrency stops rising (two, so that one noisy
    /// step on a shared machine does not end the search).</summary>
    public const int FlatStepsToStop = 2;

    /// <summary>Name of Bench's client in results.</summary>
    public const string BenchClient = "bench";

    /// <summary>Name of Bench's client with local token counting off (<c>tokenizer: none</c>) in results: the wire
    /// path alone, doing what the SDK does.</summary>
    public const string BenchNoTokenizerClient = "bench-tokenizer-off";

    /// <summary>Name of the OpenAI SDK in results.</summary>
    public const string SdkClient = "openai-sdk";

    private readonly ChildSimulator _server;
    private readonly string _apiKey;
    private readonly SelfTestOptions _options;
    private readonly string _promptBody;

    /// <summary>Creates the ceiling measurement against <paramref name="server"/>.</summary>
    public ClientCeiling(ChildSimulator server, string apiKey, SelfTestOptions options)
    {
        _server = server;
        _apiKey = apiKey;
        _options = options;
        _promptBody = SyntheticText.Prompt(SelfTestProfiles.PromptTokens - 2, options.Seed);
    }

    /// <summary>Runs the steps, the clients taking turns at each concurrency (so JIT warm-up and the
    /// machine's other load fall on both alike); <paramref name="progress"/> gets each step as it ends.</summary>
    public async Task<CeilingResult> RunAsync(Action<CeilingStep> progress, CancellationToken cancellationToken)
    {
        using var http = BenchHttpClient.Create();
        var bench = new BenchChatClient(http, new Endpoint(_server.BaseUrl, _apiKey), new RunClock(), new ChatClientOptions { Timeout = TimeSpan.FromSeconds(60) });
        using var bareHttp = BenchHttpClient.Create();
        var bare = new BenchChatClient(bareHttp, new Endpoint(_server.BaseUrl, _apiKey), new RunClock(), new ChatClientOptions
        {
            Timeout = TimeSpan.FromSeconds(60),
            Tokenizer = TokenEncodings.None,
        });
        using var sdkHttp = BenchHttpClient.Create();
        var sdk = new SdkChatClient(SelfTestProfiles.FastModel, new ApiKeyCredential(_apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(_server.BaseUrl.ToString().TrimEnd('/')),
            RetryPolicy = new ClientRetryPolicy(0),
            Transport = new HttpClientPipelineTransport(sdkHttp),
            NetworkTimeout = TimeSpan.FromSeconds(60),
        });
        var clients = new List<Rise>
        {
            new(BenchClient, (n, ct) => SendBenchAsync(bench, SelfTestProfiles.FastModel, Mode.Streaming, n, ct)),
            new(BenchNoTokenizerClient, (n, ct) => SendBenchAsync(bare, SelfTestProfiles.FastModel, Mode.Streaming, n, ct)),
            new(SdkClient, (n, ct) => SendSdkAsync(sdk, n, ct)),
        };

        var steps = new List<CeilingStep>();
        foreach (var concurrency in _options.Concurrencies)
        {
            foreach (var client in clients.Where(c => !c.Stopped))
            {
                var step = await ClosedLoop.MeasureAsync(client.Name, Names.Of(Mode.Streaming), concurrency, _options.StepWarmup, _options.StepDuration,
                    client.Send, () => _server.CpuTime, cancellationToken).ConfigureAwait(false);
                steps.Add(step);
                progress(step);
                client.Add(step.EventsPerS);
            }

            if (clients.All(c => c.Stopped))
            {
                break;
            }
        }

        return new CeilingResult
        {
            Model = SelfTestProfiles.FastModel,
            TokensPerAnswer = SelfTestProfiles.FastTokens,
            ServerE2eMs = SelfTestProfiles.FastE2eMs,
            LogicalCores = Environment.ProcessorCount,
            ServerCommand = _server.Command,
            NotLevelledOff = [.. clients.Where(c => c.LastStepRose).Select(c => c.Name)],
            Steps = [.. steps.OrderBy(s => clients.FindIndex(c => c.Name == s.Client))],
        };
    }

    /// <summary>How much longer than the step's warm-up the non-streaming run may warm up waiting for the JIT to go
    /// quiet: its path (the completion reader, a fresh client's handler) is first run here, and wrk, beside which it is
    /// read, compiles nothing.</summary>
    public static readonly TimeSpan NonStreamingSettleLimit = TimeSpan.FromSeconds(10);

    /// <summary>Bench's client, non-streaming, on <see cref="SelfTestProfiles.ZeroModel"/> at
    /// <paramref name="concurrency"/>: the run beside wrk, measured once the JIT has gone quiet (at most
    /// <see cref="NonStreamingSettleLimit"/> past the warm-up).</summary>
    /// <param name="concurrency">Requests in flight (wrk's connections).</param>
    /// <param name="duration">The measured window.</param>
    /// <param name="tokenizerOff">Local token counting off (<see cref="BenchNoTokenizerClient"/>): the wire path alone,
    /// as wrk does it; otherwise the client as <c>bench run</c> uses it (<see cref="BenchClient"/>).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<CeilingStep> NonStreamingAsync(int concurrency, TimeSpan duration, bool tokenizerOff, CancellationToken cancellationToken)
    {
        using var http = BenchHttpClient.Create();
        var bench = new BenchChatClient(http, new Endpoint(_server.BaseUrl, _apiKey), new RunClock(), new ChatClientOptions
        {
            Timeout = TimeSpan.FromSeconds(60),
            Tokenizer = tokenizerOff ? TokenEncodings.None : null,
        });
        return await ClosedLoop.MeasureAsync(tokenizerOff ? BenchNoTokenizerClient : BenchClient, Names.Of(Mode.NonStreaming), concurrency, _options.StepWarmup, duration,
            (n, ct) => SendBenchAsync(bench, SelfTestProfiles.ZeroModel, Mode.NonStreaming, n, ct), () => _server.CpuTime, cancellationToken,
            NonStreamingSettleLimit).ConfigureAwait(false);
    }

    /// <summary>The prompt of request <paramref name="n"/>: the id, then the same ~50-token body for every request (wrk
    /// sends the body of request 0).</summary>
    internal string Prompt(long n) => $"request {n} {_promptBody}";

    private async Task<LoopOutcome> SendBenchAsync(BenchChatClient client, string model, Mode mode, long n, CancellationToken cancellationToken)
    {
        var request = new ChatRequest(model, mode, [new BenchChatMessage("user", Prompt(n))], SelfTestProfiles.MaxTokens);
        var record = await client.SendAsync(request, new RequestContext(n), cancellationToken).ConfigureAwait(false);
        return new LoopOutcome(record.Outcome == Outcome.Success, mode == Mode.Streaming ? record.Events : 0,
            record.Outcome == Outcome.Success ? null : $"{Names.Of(record.Outcome)}: {record.Error?.Message}");
    }

    /// <summary>One streamed request through the SDK, doing what a benchmark must do with each update: take its
    /// arrival time and look at its content. The options are new per request: the SDK writes the messages, model and
    /// stream settings into the options object it is given, so sharing one across concurrent calls would race.</summary>
    private async Task<LoopOutcome> SendSdkAsync(SdkChatClient client, long n, CancellationToken cancellationToken)
    {
        var options = new ChatCompletionOptions { MaxOutputTokenCount = SelfTestProfiles.MaxTokens };
        var updates = 0;
        long firstToken = 0;
        long lastToken = 0;
        try
        {
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(Prompt(n))], options, cancellationToken).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                updates++;
                if (update.ContentUpdate.Count > 0 && update.ContentUpdate[0].Text.Length > 0)
                {
                    lastToken = now;
                    if (firstToken == 0)
                    {
                        firstToken = now;
                    }
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new LoopOutcome(false, updates, e.Message);
        }

        // The SDK consumes [DONE] without surfacing it: count it, as Bench's reader does, so events compare.
        return firstToken > 0 && lastToken >= firstToken
            ? new LoopOutcome(true, updates + 1, null)
            : new LoopOutcome(false, updates + 1, "no content update");
    }

    /// <summary>One client's progress up the concurrency steps.</summary>
    private sealed class Rise(string name, Func<long, CancellationToken, Task<LoopOutcome>> send)
    {
        private double _best;
        private int _flat;

        public string Name { get; } = name;

        public Func<long, CancellationToken, Task<LoopOutcome>> Send { get; } = send;

        /// <summary>Whether <see cref="FlatStepsToStop"/> consecutive steps failed to beat the best by
        /// <see cref="RiseFactor"/>.</summary>
        public bool Stopped => _flat >= FlatStepsToStop;

        /// <summary>Whether the latest step beat the best before it by <see cref="RiseFactor"/>.</summary>
        public bool LastStepRose => _flat == 0;

        public void Add(double eventsPerS)
        {
            _flat = eventsPerS < _best * RiseFactor ? _flat + 1 : 0;
            _best = Math.Max(_best, eventsPerS);
        }
    }
}
