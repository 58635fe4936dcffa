using System.Collections.Frozen;
using System.Globalization;
using Bench.Core.Faults;
using Bench.Core.Records;
using Bench.Simulator.Generation;
using Bench.Simulator.Profiles;

namespace Bench.Simulator.Faults;

/// <summary>
/// Decides which fault, if any, a request (or a new connection) meets, and records every injection
/// (<see cref="Hosting.SimulatorOptions.OnInjected"/>).
/// </summary>
/// <remarks>
/// <para>A model's rules are its profile's <see cref="ModelProfile.Faults"/> (numbered 1…P in the cause, <c>rule 1</c>)
/// then the simulator's <see cref="Hosting.SimulatorOptions.Faults"/> (numbered P+1… by their place in that list,
/// whatever their models). For a request, the rules that apply to its model and mode (<see cref="FaultRule.AppliesTo"/>),
/// are active on the fault clock (<see cref="FaultRule.ActiveAt"/>) and can be injected into it (see
/// <see cref="CanInject"/>) are walked in order with one uniform draw, each taking its <see cref="FaultRule.Rate"/> of
/// the unit interval; the first hit wins.</para>
/// <para>The draw: attempt 1 uses the request's first random draw (<see cref="CompletionPlan.FaultDraw"/>, which the
/// profiles' fault rates used before rules existed, so calibrated runs meet the same faults as before); attempt
/// <c>n</c> (the <c>X-Bench-Attempt</c> header) draws from a source derived from the request's seed and <c>n</c>, so a
/// retry draws anew and the same run draws the same.</para>
/// <para><see cref="FaultKind.ConnectionRefused"/> rules are not drawn per request: each new connection draws once,
/// before its model is known, against every active <c>connection_refused</c> rule (the profiles' and the simulator's,
/// whatever their models and modes), from a source derived from the simulator's seed and the connection's number.</para>
/// </remarks>
internal sealed class FaultEngine
{
    private readonly FrozenDictionary<string, ModelFaults> _models;
    private readonly FaultRule[] _connectionRules;
    private readonly FaultClock _clock;
    private readonly int _seed;
    private readonly Action<InjectionRecord>? _onInjected;
    private long _connections;

    /// <summary>An engine for <paramref name="profiles"/> (validated, ids unique).</summary>
    public FaultEngine(
        IEnumerable<ModelProfile> profiles,
        IReadOnlyList<FaultRule> simulatorRules,
        RateLimitSpec? simulatorLimits,
        FaultClock clock,
        int seed,
        Action<InjectionRecord>? onInjected,
        TimeProvider timeProvider)
    {
        _clock = clock;
        _seed = seed;
        _onInjected = onInjected;
        var models = new Dictionary<string, ModelFaults>(StringComparer.Ordinal);
        var connectionRules = new List<FaultRule>(simulatorRules.Where(r => r.Kind == FaultKind.ConnectionRefused));
        foreach (var profile in profiles)
        {
            var rules = new List<(FaultRule Rule, int Number)>();
            for (var i = 0; i < profile.Faults.Count; i++)
            {
                rules.Add((profile.Faults[i], i + 1));
            }

            for (var i = 0; i < simulatorRules.Count; i++)
            {
                if (simulatorRules[i].Models.Count == 0 || simulatorRules[i].Models.Contains(profile.Model, StringComparer.Ordinal))
                {
                    rules.Add((simulatorRules[i], profile.Faults.Count + i + 1));
                }
            }

            connectionRules.AddRange(profile.Faults.Where(r => r.Kind == FaultKind.ConnectionRefused));
            var limits = simulatorLimits ?? profile.RateLimits;
            models[profile.Model] = new ModelFaults(
                [.. rules.Where(r => r.Rule.Kind != FaultKind.ConnectionRefused)],
                limits is null ? null : new RateLimitBuckets(limits, timeProvider));
        }

        _models = models.ToFrozenDictionary(StringComparer.Ordinal);
        _connectionRules = [.. connectionRules];
        clock.EpochBegan += _ =>
        {
            foreach (var model in _models.Values)
            {
                model.Buckets?.Refill();
            }
        };
    }

    /// <summary>Whether any connection rule exists (else the connection middleware draws nothing).</summary>
    public bool RefusesConnections => _connectionRules.Length > 0;

    /// <summary>The model's rate-limit buckets, or <see langword="null"/> when it has no limits.</summary>
    public RateLimitBuckets? BucketsOf(string model) => _models.GetValueOrDefault(model)?.Buckets;

    /// <summary>Whether <paramref name="kind"/> can be injected into a request in this mode and way of answering:
    /// <see cref="FaultKind.MissingDone"/> only into streams (a JSON body has no <c>[DONE]</c> to leave out); the
    /// answer-shaping kinds (malformed chunk, missing <c>[DONE]</c>, empty answer, error mid-stream, absurd usage) not
    /// into a replay profile's recorded answers, nor a disconnect into a replay's non-streaming answer; connection refusal never (per connection). A rule that cannot be
    /// injected takes no share of the draw.</summary>
    public static bool CanInject(FaultKind kind, bool stream, bool replay) => kind switch
    {
        FaultKind.ConnectionRefused => false,
        FaultKind.MissingDone => stream && !replay,
        FaultKind.Disconnect => stream || !replay,
        FaultKind.MalformedChunk or FaultKind.EmptyAnswer or FaultKind.ErrorMidStream or FaultKind.AbsurdUsage => !replay,
        _ => true,
    };

    /// <summary>Draws the fault of one request attempt and records it when there is one.</summary>
    /// <param name="model">The requested (served) model.</param>
    /// <param name="stream">Whether it streams.</param>
    /// <param name="replay">Whether its answer is a recording.</param>
    /// <param name="plan">Its plan (whose <see cref="CompletionPlan.FaultDraw"/> attempt 1 uses).</param>
    /// <param name="requestSeed">The request's own random seed (<see cref="RequestSeed.Derive(int, string, long?, long)"/>).</param>
    /// <param name="attempt">Its <c>X-Bench-Attempt</c> (1 when absent).</param>
    /// <param name="requestId">Its <c>X-Bench-Request-Id</c>, if any.</param>
    /// <returns>The rule hit, or <see langword="null"/>.</returns>
    public FaultRule? Draw(string model, bool stream, bool replay, CompletionPlan plan, int requestSeed, int attempt, string? requestId)
    {
        var faults = _models[model];
        if (faults.Rules.Length == 0)
        {
            return null;
        }

        var (epoch, elapsedMs) = _clock.Now();
        var seconds = elapsedMs / 1000.0;
        var mode = stream ? Mode.Streaming : Mode.NonStreaming;
        var draw = attempt <= 1 ? plan.FaultDraw : new Random(RequestSeed.Derive(requestSeed, 'a', attempt)).NextDouble();
        foreach (var (rule, number) in faults.Rules)
        {
            if (!rule.AppliesTo(model, mode) || !rule.ActiveAt(seconds) || !CanInject(rule.Kind, stream, replay))
            {
                continue;
            }

            if (draw < rule.Rate)
            {
                Record(epoch, elapsedMs, requestId, attempt, model, stream, rule.Kind, StatusOf(rule), CauseOf(rule, number));
                return rule;
            }

            draw -= rule.Rate;
        }

        return null;
    }

    /// <summary>Records a 429 from the rate-limit buckets.</summary>
    public void RecordRateLimited(string model, bool stream, string cause, int attempt, string? requestId)
    {
        var (epoch, elapsedMs) = _clock.Now();
        Record(epoch, elapsedMs, requestId, attempt, model, stream, FaultKind.RateLimited, 429, cause);
    }

    /// <summary>Draws for a new connection whether it is refused (closed before anything is read), recording it when
    /// so.</summary>
    public bool RefuseConnection()
    {
        var number = Interlocked.Increment(ref _connections);
        if (_connectionRules.Length == 0)
        {
            return false;
        }

        var (epoch, elapsedMs) = _clock.Now();
        var draw = new Random(RequestSeed.Derive(_seed, 'c', number)).NextDouble();
        for (var i = 0; i < _connectionRules.Length; i++)
        {
            var rule = _connectionRules[i];
            if (!rule.ActiveAt(elapsedMs / 1000.0))
            {
                continue;
            }

            if (draw < rule.Rate)
            {
                Record(new InjectionRecord
                {
                    Epoch = epoch,
                    AtMs = elapsedMs,
                    Kind = FaultKind.ConnectionRefused,
                    Cause = "connection" + Window(rule),
                });
                return true;
            }

            draw -= rule.Rate;
        }

        return false;
    }

    /// <summary>New connections accepted so far (refused or not).</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connections);

    /// <summary>The HTTP status an injected rule answers with, when it answers one.</summary>
    public static int? StatusOf(FaultRule rule) => rule.Kind switch
    {
        FaultKind.RateLimited => 429,
        FaultKind.ServerError => rule.Status ?? 500,
        FaultKind.Overloaded => 529,
        FaultKind.ConnectionRefused or FaultKind.ConnectionReset or FaultKind.HangBeforeHeaders => null,
        _ => 200,
    };

    private static string CauseOf(FaultRule rule, int number) =>
        "rule " + number.ToString(CultureInfo.InvariantCulture) + Window(rule);

    private static string Window(FaultRule rule) => rule.FromS is null && rule.ToS is null
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $" ({rule.FromS ?? 0}–{(rule.ToS is { } to ? to.ToString(CultureInfo.InvariantCulture) : "∞")} s)");

    private void Record(InjectionRecord record) => _onInjected?.Invoke(record);

    private void Record(int epoch, double atMs, string? requestId, int attempt, string model, bool stream, FaultKind kind, int? status, string cause) =>
        Record(new InjectionRecord
        {
            Epoch = epoch,
            AtMs = atMs,
            RequestId = requestId,
            Attempt = attempt,
            Model = model,
            Stream = stream,
            Kind = kind,
            Status = status,
            Cause = cause,
        });

    private sealed record ModelFaults((FaultRule Rule, int Number)[] Rules, RateLimitBuckets? Buckets);
}
