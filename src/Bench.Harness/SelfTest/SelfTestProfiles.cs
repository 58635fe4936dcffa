using System.Globalization;
using System.Text;
using Bench.Simulator.Profiles;

namespace Bench.Harness.SelfTest;

/// <summary>
/// The simulator profiles of <c>bench selftest</c>, all with known, fixed timing (no jitter, no faults, no capacity
/// limit): a fixed-delay model for the ground-truth join (in-process), and a fast and a zero-delay model for the
/// child-process simulator (written as profile files, since <c>bench simulate</c> reads a folder).
/// </summary>
internal static class SelfTestProfiles
{
    /// <summary>Model of the ground-truth run: first token after exactly 100 ms, 20 tokens at 200 tokens/s.</summary>
    public const string FixedModel = "selftest-fixed";

    /// <summary>TTFT of <see cref="FixedModel"/>, ms.</summary>
    public const double FixedTtftMs = 100;

    /// <summary>Answer length of <see cref="FixedModel"/>, tokens.</summary>
    public const int FixedTokens = 20;

    /// <summary>Decode rate of <see cref="FixedModel"/>, tokens/s.</summary>
    public const double FixedDecodeTokensPerS = 200;

    /// <summary>Model of the client-ceiling runs: first token after 1 ms, 100 tokens at 2,000 tokens/s, one per SSE
    /// event, so the client handles many events for little server time.</summary>
    public const string FastModel = "selftest-fast";

    /// <summary>TTFT of <see cref="FastModel"/>, ms.</summary>
    public const double FastTtftMs = 1;

    /// <summary>Answer length of <see cref="FastModel"/>, tokens.</summary>
    public const int FastTokens = 100;

    /// <summary>Decode rate of <see cref="FastModel"/>, tokens/s.</summary>
    public const double FastDecodeTokensPerS = 2000;

    /// <summary>Model of the wrk comparison: answered at once with 1 token.</summary>
    public const string ZeroModel = "selftest-zero";

    /// <summary>Model of the scale steps: fixed timing from <see cref="SelfTestOptions.ScaleTtftMs"/>,
    /// <see cref="SelfTestOptions.ScaleTokens"/> and <see cref="SelfTestOptions.ScaleDecodeTokensPerS"/>.</summary>
    public const string ScaleModel = "selftest-scale";

    /// <summary><c>max_tokens</c> of every self-test request: above every profile's answer length, so answers are never
    /// cut.</summary>
    public const int MaxTokens = 200;

    /// <summary>Prompt size of every self-test request, tokens.</summary>
    public const int PromptTokens = 50;

    private const string Source = "bench selftest: fixed timing, for measuring Bench itself";

    /// <summary>E2E of <see cref="FixedModel"/> on the server: TTFT + (n − 1) / rate = 195 ms.</summary>
    public static double FixedE2eMs => E2eMs(FixedTtftMs, FixedTokens, FixedDecodeTokensPerS);

    /// <summary>E2E of <see cref="FastModel"/> on the server: 1 + 99 × 0.5 = 50.5 ms; a closed step at concurrency
    /// c cannot exceed c / 50.5 ms requests/s.</summary>
    public static double FastE2eMs => E2eMs(FastTtftMs, FastTokens, FastDecodeTokensPerS);

    /// <summary>The profile of <see cref="FixedModel"/>.</summary>
    public static ModelProfile Fixed() => new()
    {
        Model = FixedModel,
        OwnedBy = "bench",
        TimeToFirstToken = TtftDistribution.Fixed(FixedTtftMs),
        DecodeTokensPerSecond = FixedDecodeTokensPerS,
        OutputTokens = new OutputLength(FixedTokens, 0),
        Source = Source,
    };

    /// <summary>Writes the profiles of <see cref="FastModel"/> and <see cref="ZeroModel"/> into
    /// <paramref name="directory"/> (created if missing), for <c>bench simulate --profiles</c>.</summary>
    public static void WriteChildProfiles(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FastModel + ".json"), ProfileJson(FastModel, FastTtftMs, FastDecodeTokensPerS, FastTokens), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(directory, ZeroModel + ".json"), ProfileJson(ZeroModel, 0, 1000, 1), new UTF8Encoding(false));
    }

    /// <summary>Writes the profile of <see cref="ScaleModel"/> with the options' timing into <paramref name="directory"/>.</summary>
    public static void WriteScaleProfile(string directory, SelfTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ScaleModel + ".json"),
            ProfileJson(ScaleModel, options.ScaleTtftMs, options.ScaleDecodeTokensPerS, options.ScaleTokens), new UTF8Encoding(false));
    }

    /// <summary>E2E of <see cref="ScaleModel"/> on the server, ms: TTFT + (n − 1) / rate.</summary>
    public static double ScaleE2eMs(SelfTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return E2eMs(options.ScaleTtftMs, options.ScaleTokens, options.ScaleDecodeTokensPerS);
    }

    /// <summary>A profile file in the format <see cref="ProfileLoader"/> reads.</summary>
    internal static string ProfileJson(string model, double ttftMs, double decodeTokensPerS, int tokens) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""
        {
          "model": "{{model}}",
          "owned_by": "bench",
          "ttft_ms": { "fixed": {{ttftMs}} },
          "decode_tokens_per_s": {{decodeTokensPerS}},
          "output_tokens": { "mean": {{tokens}}, "sd": 0 },
          "tokens_per_chunk": 1,
          "source": "{{Source}}"
        }
        """);

    private static double E2eMs(double ttftMs, int tokens, double tokensPerS) => ttftMs + ((tokens - 1) * 1000.0 / tokensPerS);
}
