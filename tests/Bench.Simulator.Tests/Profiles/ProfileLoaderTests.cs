using Bench.Core.Configuration;
using Bench.Core.Faults;
using Bench.Simulator.Profiles;
using Bench.Simulator.Replay;

namespace Bench.Simulator.Tests.Profiles;

public sealed class ProfileLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bench-profiles-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // SEED-FIGURES.md: model, non-streaming E2E mean (ms), streaming TTFT mean and p95 (ms).
    public static TheoryData<string, double, double, double> SeedFigures => new()
    {
        { "gpt-4.1", 2847, 487, 890 },
        { "claude-sonnet-4.5", 3156, 534, 1020 },
        { "gemini-2.5-flash", 892, 156, 287 },
        { "deepseek-v3.2", 1203, 234, 412 },
    };

    [Fact]
    public void LoadDirectory_ShippedProfiles_LoadsEveryModel()
    {
        var profiles = ProfileLoader.LoadDirectory(TestPaths.Profiles);

        Assert.Equal(
            ["claude-sonnet-4.5", "deepseek-v3.2", "fixed-100ms", "gemini-2.5-flash", "gpt-4.1", "replay-openai-chat", "seed-relay"],
            profiles.Select(p => p.Model).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SeedFigures))]
    public void Load_ShippedProfile_IsCalibratedToSeedFigures(string model, double e2eMs, double ttftMs, double ttftP95Ms)
    {
        var profile = ProfileLoader.Load(Path.Combine(TestPaths.Profiles, model + ".json"));

        Assert.Equal(model, profile.Model);
        Assert.Equal(new TtftDistribution(ttftMs, ttftP95Ms), profile.TimeToFirstToken);
        Assert.Equal(new OutputLength(170, 15), profile.OutputTokens);
        // The answer is sent when its last token would have been streamed: E2E = TTFT + (170 − 1) / rate.
        Assert.Equal(169 / ((e2eMs - ttftMs) / 1000), profile.DecodeTokensPerSecond, 0.01);
        // The articles' taxonomy, in the order the old fixed rates were drawn (so the same requests meet them).
        Assert.Equal(
            [
                (FaultKind.RateLimited, 0.0018, (int?)null, false, ""),
                (FaultKind.ServerError, 0.0004, 500, false, ""),
                (FaultKind.Disconnect, 0.0012, null, true, "Streaming"),
            ],
            profile.Faults.Select(f => (f.Kind, f.Rate, f.Status, f.Reset, string.Join(",", f.Modes))));
        Assert.Equal(1, profile.TokensPerChunk);
        Assert.Equal(new CapacityLimit(64), profile.Capacity);
        Assert.Null(profile.Replay);
        Assert.NotNull(profile.Source);
    }

    [Fact]
    public void LoadDirectory_ShippedProfiles_EachHasAValidBatchSection()
    {
        // Every shipped model states its batch turnaround (BatchProfile.Default is for profiles written elsewhere).
        foreach (var profile in ProfileLoader.LoadDirectory(TestPaths.Profiles))
        {
            var batch = profile.Batch;
            Assert.NotNull(batch);
            Assert.True(batch.QueueDelayS.P95 >= batch.QueueDelayS.Median, profile.Model);
            Assert.True(batch.LinesPerMinute > 0, profile.Model);
        }
    }

    [Fact]
    public void Load_BatchSection_ReadsEveryField()
    {
        var file = Write("batch.json", """
            {
              "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "output_tokens": { "mean": 1, "sd": 0 },
              "batch": { "queue_delay_s": { "median": 120, "p95": 900 }, "lines_per_minute": 500, "line_failure_rate": 0.01,
                         "finalize_s": 12, "max_enqueued_tokens": 90000 }
            }
            """);

        var batch = ProfileLoader.Load(file).Batch;

        Assert.Equal(
            new BatchProfile { QueueDelayS = new BatchQueueDelay(120, 900), LinesPerMinute = 500, LineFailureRate = 0.01, FinalizeS = 12, MaxEnqueuedTokens = 90_000 },
            batch);
    }

    [Fact]
    public void Load_BadBatchSection_ListsEachError()
    {
        var file = Write("bad-batch.json", """
            {
              "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "output_tokens": { "mean": 1, "sd": 0 },
              "batch": { "queue_delay_s": { "median": 120, "p95": 60 }, "lines_per_minute": 0, "line_failure_rate": 2 }
            }
            """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        Assert.Equal(
            [
                $"{file}: $.batch.lines_per_minute: must be a finite number of lines per minute > 0",
                $"{file}: $.batch.line_failure_rate: must be a probability in [0, 1]",
                $"{file}: $.batch.queue_delay_s.p95: must be a finite number of seconds ≥ the median",
            ],
            exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_ProfileWithoutBatchSection_HasNoneAndTheEngineUsesTheDefault()
    {
        var file = Write("plain.json", """
            { "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "output_tokens": { "mean": 1, "sd": 0 } }
            """);

        Assert.Null(ProfileLoader.Load(file).Batch);
        Assert.Equal(new BatchQueueDelay(60, 600), BatchProfile.Default.QueueDelayS);
        Assert.Equal(600, BatchProfile.Default.LinesPerMinute);
    }

    [Fact]
    public void Load_ShippedReplayProfile_ReplaysTheRecordingsWithGpt41Timing()
    {
        var profile = ProfileLoader.Load(Path.Combine(TestPaths.Profiles, "replay-openai-chat.json"));
        var gpt41 = ProfileLoader.Load(Path.Combine(TestPaths.Profiles, "gpt-4.1.json"));

        Assert.Equal("replay-openai-chat", profile.Model);
        Assert.Equal(gpt41.TimeToFirstToken, profile.TimeToFirstToken);
        Assert.Equal(gpt41.DecodeTokensPerSecond, profile.DecodeTokensPerSecond);
        Assert.Equal(gpt41.DecodeJitterCv, profile.DecodeJitterCv);
        Assert.Empty(profile.Faults);
        Assert.Equal(Path.GetFullPath(TestPaths.ReplayOpenAiChat), profile.Replay!.Folder);
        Assert.Equal(ReplayPick.RoundRobin, profile.Replay.Pick);
        Assert.Equal(
            Directory.GetFiles(TestPaths.ReplayOpenAiChat, "*.sse").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            profile.Replay.Files);
    }

    [Fact]
    public void Load_ReplayAndCapacity_ReadsFolderRelativeToTheFileAndPick()
    {
        Write("recordings/one.sse", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n");
        var file = Write("profiles/replay.json", """
            {
              "model": "r", "ttft_ms": { "fixed": 10 }, "decode_tokens_per_s": 50,
              "replay": { "folder": "../recordings", "pick": "random" },
              "capacity": { "max_concurrent": 3 }
            }
            """);

        var profile = ProfileLoader.Load(file);

        Assert.Equal(Path.Combine(_directory, "recordings"), profile.Replay!.Folder);
        Assert.Equal(ReplayPick.Random, profile.Replay.Pick);
        Assert.Equal(["one.sse"], profile.Replay.Files);
        Assert.Equal(new CapacityLimit(3), profile.Capacity);
    }

    [Fact]
    public void Load_ReplayFolderMissing_ReportsFileJsonPathAndReason()
    {
        var file = Write("missing.json", """
            { "model": "r", "ttft_ms": { "fixed": 10 }, "decode_tokens_per_s": 50, "replay": { "folder": "nowhere" } }
            """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        Assert.Equal(
            [$"{file}: $.replay.folder: folder not found: {Path.Combine(_directory, "nowhere")}"], exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_ReplayFolderWithoutSseFiles_ReportsFileJsonPathAndReason()
    {
        Write("empty-folder/notes.txt", "no recordings here");
        var file = Write("no-sse.json", """
            { "model": "r", "ttft_ms": { "fixed": 10 }, "decode_tokens_per_s": 50, "replay": { "folder": "empty-folder" } }
            """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        Assert.Equal(
            [$"{file}: $.replay.folder: no recorded streams (*.sse) in {Path.Combine(_directory, "empty-folder")}"],
            exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_ReplayAndCapacityWrongShapes_ListsEveryError()
    {
        var file = Write("bad-replay.json", """
            {
              "model": "r", "ttft_ms": { "fixed": 10 }, "decode_tokens_per_s": 50,
              "output_tokens": { "mean": 5, "sd": 0 },
              "tokens_per_chunk": 2,
              "replay": { "pick": "sequential", "speed": 2 },
              "capacity": { "max_concurrent": 0, "queue": 5 }
            }
            """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        Assert.Equal(
            [
                $"{file}: $.replay.pick: unknown replay pick 'sequential'; use one of round_robin, random",
                $"{file}: $.replay.speed: unknown field; known fields here: folder, pick",
                $"{file}: $.replay.folder: is required",
                $"{file}: $.capacity.max_concurrent: must be an integer ≥ 1",
                $"{file}: $.capacity.queue: unknown field; known fields here: max_concurrent",
                $"{file}: $.output_tokens: not used by a replay profile (the answer length is the recording's): remove it",
                $"{file}: $.tokens_per_chunk: not used by a replay profile (the events are the recording's): remove it",
            ],
            exception.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("0", "$.capacity.max_concurrent: must be an integer ≥ 1")]
    [InlineData("1.5", "$.capacity.max_concurrent: expected a whole number, found the number 1.5")]
    public void Load_CapacityInvalid_ReportsIt(string maxConcurrent, string error)
    {
        var file = Write("capacity.json", $$"""
            {
              "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "output_tokens": { "mean": 1, "sd": 0 },
              "capacity": { "max_concurrent": {{maxConcurrent}} }
            }
            """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        Assert.Equal([$"{file}: {error}"], exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_FixedProfile_HasExactTimings()
    {
        var profile = ProfileLoader.Load(Path.Combine(TestPaths.Profiles, "fixed-100ms.json"));

        Assert.Equal(TtftDistribution.Fixed(100), profile.TimeToFirstToken);
        Assert.Equal(200, profile.DecodeTokensPerSecond);
        Assert.Equal(new OutputLength(20, 0), profile.OutputTokens);
        Assert.Empty(profile.Faults);
    }

    [Fact]
    public void Load_CommentsAndTrailingCommas_AreAccepted()
    {
        var file = Write("commented.json", """
            // a comment
            {
              "model": "m", /* inline */
              "ttft_ms": { "fixed": 10, },
              "decode_tokens_per_s": 50,
              "output_tokens": { "mean": 5, "sd": 1 },
            }
            """);

        var profile = ProfileLoader.Load(file);

        Assert.Equal("m", profile.Model);
        Assert.Equal("bench-simulator", profile.OwnedBy);
        Assert.Equal(0, profile.DecodeJitterCv);
        Assert.Empty(profile.Faults);
    }

    [Fact]
    public void Load_InvalidValues_ListsEveryErrorWithFilePathAndReason()
    {
        var file = Write("bad-values.json", """
            {
              "model": "",
              "ttft_ms": { "mean": 500, "p95": 400 },
              "decode_tokens_per_s": 0,
              "output_tokens": { "mean": 0, "sd": -1 },
              "tokens_per_chunk": 0,
              "decode_jitter_cv": -0.1,
              "faults": [{ "kind": "rate_limited", "rate": 1.5 }, { "kind": "server_error", "rate": 0.1 }]
            }
            """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        Assert.Equal(
            [
                $"{file}: $.model: must be a non-empty model id",
                $"{file}: $.ttft_ms.p95: the p95 must be greater than the mean for a log-normal fit",
                $"{file}: $.decode_tokens_per_s: must be a finite number of tokens per second > 0",
                $"{file}: $.tokens_per_chunk: must be an integer ≥ 1",
                $"{file}: $.decode_jitter_cv: must be a finite coefficient of variation ≥ 0",
                $"{file}: $.faults[0].rate: must be a probability between 0 and 1",
                // Rules across fields (output_tokens is required unless the profile replays) come after each field's own.
                $"{file}: $.output_tokens.mean: must be a finite number of tokens ≥ 1",
                $"{file}: $.output_tokens.sd: must be a finite number of tokens ≥ 0",
            ],
            exception.Errors.Select(e => e.ToString()));
        Assert.StartsWith($"{file}: 8 errors:", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongShapes_ListsTypeUnknownAndMissingErrors()
    {
        var file = Write("bad-shapes.json", """
            {
              "model": 42,
              "ttft_ms": { "fixed": 1, "mean": 2 },
              "output_tokens": { "mean": "many" },
              "faults": [{ "kind": "timeout" }],
              "tokens_per_chunk": 1.5,
              "colour": "blue"
            }
            """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        Assert.Equal(
            [
                $"{file}: $.model: expected a string, found the number 42",
                $"{file}: $.ttft_ms: must have either \"fixed\", or \"mean\" and \"p95\"",
                $"{file}: $.output_tokens.mean: expected a number, found the string \"many\"",
                $"{file}: $.output_tokens.sd: is required",
                $"{file}: $.faults[0].kind: unknown fault kind 'timeout'; use one of rate_limited, server_error, overloaded, connection_refused, connection_reset, hang_before_headers, hang_before_first_token, stall, trickle, disconnect, malformed_chunk, missing_done, empty_answer, error_mid_stream, absurd_usage",
                $"{file}: $.tokens_per_chunk: expected a whole number, found the number 1.5",
                $"{file}: $.colour: unknown field; known fields here: model, owned_by, ttft_ms, decode_tokens_per_s, output_tokens, tokens_per_chunk, decode_jitter_cv, faults, rate_limits, capacity, replay, batch, prompt_cache, source",
                $"{file}: $.decode_tokens_per_s: is required",
            ],
            exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_FaultRuleWithModels_ReportsTheField()
    {
        // A profile's rules apply to its own model; naming models is a scenario's business.
        var file = Write("faults.json", """
            {
              "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "output_tokens": { "mean": 1, "sd": 0 },
              "faults": [{ "kind": "rate_limited", "rate": 0.5 }, { "kind": "server_error", "models": ["other"] }]
            }
            """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        Assert.Equal(
            [$"{file}: $.faults[1].models: not allowed in a profile: its rules apply to its own model (name models in a scenario's faults)"],
            exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_RateLimits_ReadsRpmAndTpm()
    {
        var file = Write("limits.json", """
            {
              "model": "m", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "output_tokens": { "mean": 1, "sd": 0 },
              "rate_limits": { "rpm": 60, "tpm": 1000 }
            }
            """);

        var profile = ProfileLoader.Load(file);

        Assert.Equal(new Bench.Core.Faults.RateLimitSpec { Rpm = 60, Tpm = 1000 }, profile.RateLimits);
    }

    [Fact]
    public void Load_InvalidJson_ReportsFileAndParserReason()
    {
        var file = Write("broken.json", """{ "model": "m", """);

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.Load(file));

        var error = Assert.Single(exception.Errors).ToString();
        Assert.StartsWith($"{file}: $: not valid JSON (line 1, ", error, StringComparison.Ordinal);
        Assert.Contains("LineNumber", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDirectory_ErrorsInSeveralFiles_ListsThemAllIncludingDuplicates()
    {
        const string valid = """
            { "model": "same", "ttft_ms": { "fixed": 1 }, "decode_tokens_per_s": 1, "output_tokens": { "mean": 1, "sd": 0 } }
            """;
        var first = Write("a.json", valid);
        var second = Write("b.json", valid);
        var third = Write("c.json", "[]");

        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.LoadDirectory(_directory));

        Assert.Equal(
            [
                $"{second}: $.model: model 'same' is already defined by {first}",
                $"{third}: $: expected an object, found an array",
            ],
            exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void LoadDirectory_NoProfileFiles_Throws()
    {
        var exception = Assert.Throws<ConfigException>(() => ProfileLoader.LoadDirectory(_directory));

        Assert.Equal([$"{_directory}: $: no profile files (*.json) in the directory"], exception.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void LoadDirectory_MissingDirectory_ThrowsDirectoryNotFound() =>
        Assert.Throws<DirectoryNotFoundException>(
            () => ProfileLoader.LoadDirectory(Path.Combine(_directory, "missing")));

    private string Write(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }
}
