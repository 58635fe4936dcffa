using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using Bench.Core.Batches;
using Bench.Simulator.Endpoints;
using Bench.Simulator.Generation;
using Bench.Simulator.Hosting;
using Bench.Simulator.Profiles;

namespace Bench.Simulator.Batches;

/// <summary>
/// The simulator's batches: creates them (validating the input file and drawing the plan at once, see
/// <see cref="BatchJob"/>), evaluates them lazily on the batch clock whenever they are read, and writes their output
/// and error files when they reach <c>finalizing</c> (or expire, or are cancelled). Each line is answered by the chat
/// endpoint's own non-streaming generation (<see cref="ChatCompletionsEndpoint.WriteNonStreamingAnswer"/>).
/// </summary>
/// <remarks>
/// Draws: batch <c>n</c> (creation order) seeds a generator with <see cref="SimulatorOptions.Seed"/> and <c>n</c>
/// that draws, in this order, the queue delay (<see cref="BatchProfile.QueueDelayS"/>), the finish order (a
/// Fisher–Yates shuffle of the lines) and one uniform per finish position for <see cref="BatchProfile.LineFailureRate"/>.
/// A line with a <c>seed</c> is answered as the synchronous endpoint answers that seed; a line without one from the
/// batch's seed and its index. So the same seed and the same sequence of batches give the same turnaround, the same
/// failed lines and the same answers.
/// </remarks>
internal sealed class BatchEngine
{
    /// <summary>The only completion window OpenAI accepts.</summary>
    public const string Window = "24h";

    /// <summary>24 h in seconds.</summary>
    public const double WindowS = 24 * 3600;

    /// <summary>The only endpoint the simulator runs batches for.</summary>
    public const string ChatEndpoint = "/v1/chat/completions";

    private readonly FrozenDictionary<string, ProfileSampler> _samplers;
    private readonly SimulatorOptions _options;
    private readonly Lock _gate = new();
    private readonly List<BatchJob> _jobs = [];
    private readonly Dictionary<string, BatchJob> _byId = new(StringComparer.Ordinal);

    /// <summary>An engine for the served models.</summary>
    public BatchEngine(FrozenDictionary<string, ProfileSampler> samplers, SimulatorOptions options, FileStore files, BatchClock clock)
    {
        _samplers = samplers;
        _options = options;
        Files = files;
        Clock = clock;
    }

    /// <summary>The files (inputs and the batches' outputs).</summary>
    public FileStore Files { get; }

    /// <summary>The batch clock.</summary>
    public BatchClock Clock { get; }

    /// <summary>Creates a batch over <paramref name="input"/> (a file of purpose <c>batch</c>) and returns it as now.</summary>
    public BatchObject Create(StoredFile input, string endpoint, Dictionary<string, string>? metadata)
    {
        var errors = BatchInput.Validate(
            input.Content, endpoint, _samplers, _options.MaxBatchLines, _options.MaxBatchFileBytes, out var lines, out var model, out var servedModel);
        // A file that fails validation fails when its (first served) model's queue delay ends.
        var batchProfile = servedModel is not null ? _samplers[servedModel].Profile.Batch ?? BatchProfile.Default : BatchProfile.Default;
        lock (_gate)
        {
            var now = Clock.NowS;
            var number = _jobs.Count + 1L;
            var seed = RequestSeed.Derive(_options.Seed, 'B', number);
            var random = new Random(seed);
            var queueS = batchProfile.QueueDelayS.Distribution.Sample(random);
            if (errors.Count == 0 && batchProfile.MaxEnqueuedTokens is { } limit)
            {
                var enqueued = _jobs.Where(j => j.Model == model).Sum(j => Enqueued(j, now));
                var mine = lines.Sum(l => l.EnqueuedTokens);
                if (enqueued + mine > limit)
                {
                    errors.Add(new BatchError
                    {
                        Code = "token_limit_exceeded",
                        Message = $"Enqueued token limit reached for {model}. Limit: {limit} enqueued tokens; this batch needs {mine} "
                            + $"and {enqueued} are enqueued by other batches. Please try submitting fewer tasks or wait for ongoing batches to complete.",
                    });
                }
            }

            var failed = errors.Count > 0;
            var order = Enumerable.Range(0, failed ? 0 : lines.Count).ToArray();
            random.Shuffle(order);
            var fails = new bool[order.Length];
            for (var k = 0; k < fails.Length; k++)
            {
                fails[k] = random.NextDouble() < batchProfile.LineFailureRate;
            }

            var job = new BatchJob
            {
                Id = Files.NewId("batch_"),
                Number = number,
                InputFileId = input.Id,
                Endpoint = endpoint,
                CompletionWindow = Window,
                Metadata = metadata,
                Model = model,
                Lines = failed ? [] : lines,
                Errors = failed ? errors : null,
                Seed = seed,
                CreatedS = now,
                QueueEndS = now + queueS,
                SecondsPerLine = 60.0 / batchProfile.LinesPerMinute,
                FinalizeS = batchProfile.FinalizeS,
                ExpiresS = now + WindowS,
                FinishOrder = order,
                FailsAt = fails,
            };
            _jobs.Add(job);
            _byId.Add(job.Id, job);
            return Read(job);
        }
    }

    /// <summary>The batch with <paramref name="id"/> as now, or null.</summary>
    public BatchObject? Get(string id)
    {
        BatchJob? job;
        lock (_gate)
        {
            _byId.TryGetValue(id, out job);
        }

        return job is null ? null : Read(job);
    }

    /// <summary>A page of batches, newest first, after the batch <paramref name="after"/> (null: from the newest);
    /// null when <paramref name="after"/> is not a batch id.</summary>
    public BatchList? List(string? after, int limit)
    {
        List<BatchJob> newestFirst;
        lock (_gate)
        {
            newestFirst = [.. _jobs];
        }

        newestFirst.Reverse();
        var start = 0;
        if (after is not null)
        {
            var index = newestFirst.FindIndex(j => j.Id == after);
            if (index < 0)
            {
                return null;
            }

            start = index + 1;
        }

        var page = newestFirst.Skip(start).Take(limit).Select(Read).ToList();
        return new BatchList
        {
            Data = page,
            FirstId = page.FirstOrDefault()?.Id,
            LastId = page.LastOrDefault()?.Id,
            HasMore = start + page.Count < newestFirst.Count,
        };
    }

    /// <summary>Asks to cancel: a batch validating or in progress goes <c>cancelling</c> (its lines not yet finished
    /// are never run) and <c>cancelled</c> after <see cref="BatchProfile.FinalizeS"/>; a cancelling or cancelled one is
    /// returned as it is. Null when there is no such batch; <paramref name="refusedStatus"/> is set when its status
    /// cannot be cancelled (finalizing, completed, failed, expired).</summary>
    public BatchObject? Cancel(string id, out string? refusedStatus)
    {
        refusedStatus = null;
        BatchJob? job;
        lock (_gate)
        {
            _byId.TryGetValue(id, out job);
        }

        if (job is null)
        {
            return null;
        }

        lock (job.Gate)
        {
            var now = Clock.NowS;
            var state = job.Evaluate(now);
            if (state.Status is BatchStatuses.Validating or BatchStatuses.InProgress)
            {
                job.CancelS = now;
            }
            else if (state.Status is not (BatchStatuses.Cancelling or BatchStatuses.Cancelled))
            {
                refusedStatus = state.Status;
                return null;
            }

            return Read(job);
        }
    }

    /// <summary>Tokens a batch holds enqueued at <paramref name="nowS"/>: all its lines' while it is validating or in
    /// progress, none afterwards.</summary>
    private static long Enqueued(BatchJob job, double nowS)
    {
        lock (job.Gate)
        {
            return job.Evaluate(nowS).Status is BatchStatuses.Validating or BatchStatuses.InProgress
                ? job.Lines.Sum(l => l.EnqueuedTokens)
                : 0;
        }
    }

    /// <summary>The batch now, writing its files first when it has reached that point. The time is read under the
    /// batch's lock, so answers given in turn never go back in time (a cancellation and a read racing cannot show
    /// fewer finished lines after more).</summary>
    private BatchObject Read(BatchJob job)
    {
        lock (job.Gate)
        {
            var state = job.Evaluate(Clock.NowS);
            if (state.FilesAtS is { } filesAt && !job.FilesWritten)
            {
                WriteFiles(job, state, filesAt);
            }

            return job.ToWire(state);
        }
    }

    /// <summary>Writes the output file (lines answered 2xx, in finish order) and the error file (failed lines in
    /// finish order, then expired lines in input order); an empty one is not created and its id stays null.</summary>
    private void WriteFiles(BatchJob job, BatchState state, double filesAtS)
    {
        var output = new ArrayBufferWriter<byte>();
        var errors = new ArrayBufferWriter<byte>();
        var body = new ArrayBufferWriter<byte>();
        var ids = new Random(RequestSeed.Derive(job.Seed, 'r', 0));
        var sampler = job.Model is null ? null : _samplers[job.Model];
        for (var k = 0; k < state.Done; k++)
        {
            var line = job.Lines[job.FinishOrder[k]];
            var finishedS = job.QueueEndS + ((k + 1) * job.SecondsPerLine);
            body.Clear();
            int status;
            if (job.FailsAt[k])
            {
                ApiError.ServerError.WriteJson(body);
                status = ApiError.ServerError.Status;
            }
            else
            {
                var requestSeed = line.Request.Seed is not null
                    ? RequestSeed.Derive(_options.Seed, line.Request.Model, line.Request.Seed, 0)
                    : RequestSeed.Derive(job.Seed, 'l', line.Index);
                (status, _) = ChatCompletionsEndpoint.WriteNonStreamingAnswer(
                    body, sampler!, line.Request, requestSeed, $"chatcmpl-simb{job.Number:x4}{line.Index:x6}", BatchClock.Seconds(finishedS));
            }

            WriteLine(status is >= 200 and < 300 ? output : errors, NewId(ids, "batch_req_", 24), line.CustomId, status, NewId(ids, "", 32, hex: true), body.WrittenSpan, null, null);
        }

        if (state.Expired)
        {
            var ran = new bool[job.Lines.Count];
            for (var k = 0; k < state.Done; k++)
            {
                ran[job.FinishOrder[k]] = true;
            }

            foreach (var line in job.Lines)
            {
                if (!ran[line.Index])
                {
                    WriteLine(errors, NewId(ids, "batch_req_", 24), line.CustomId, 0, null, default, "batch_expired",
                        "This request could not be executed before the completion window expired.");
                }
            }
        }

        var created = BatchClock.Seconds(filesAtS);
        if (output.WrittenCount > 0)
        {
            job.OutputFileId = Files.Add($"{job.Id}_output.jsonl", FileStore.BatchOutputPurpose, created, output.WrittenSpan.ToArray()).Id;
        }

        if (errors.WrittenCount > 0)
        {
            job.ErrorFileId = Files.Add($"{job.Id}_error.jsonl", FileStore.BatchOutputPurpose, created, errors.WrittenSpan.ToArray()).Id;
        }

        job.FilesWritten = true;
    }

    /// <summary>One <c>BatchRequestOutput</c> line: <c>response</c> (status, request id, body) or, when
    /// <paramref name="errorCode"/> is given, <c>"response": null</c> and <c>error</c>; the other written as an explicit
    /// null, as OpenAI's are.</summary>
    private static void WriteLine(
        IBufferWriter<byte> file, string id, string customId, int status, string? requestId, ReadOnlySpan<byte> body, string? errorCode, string? errorMessage)
    {
        using (var json = new Utf8JsonWriter(file))
        {
            json.WriteStartObject();
            json.WriteString("id"u8, id);
            json.WriteString("custom_id"u8, customId);
            if (errorCode is null)
            {
                json.WriteStartObject("response"u8);
                json.WriteNumber("status_code"u8, status);
                json.WriteString("request_id"u8, requestId);
                json.WritePropertyName("body"u8);
                json.WriteRawValue(body, skipInputValidation: true);
                json.WriteEndObject();
                json.WriteNull("error"u8);
            }
            else
            {
                json.WriteNull("response"u8);
                json.WriteStartObject("error"u8);
                json.WriteString("code"u8, errorCode);
                json.WriteString("message"u8, errorMessage);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        file.Write("\n"u8);
    }

    private static string NewId(Random random, string prefix, int length, bool hex = false)
    {
        const string alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const string hexDigits = "0123456789abcdef";
        var alphabet = hex ? hexDigits : alnum;
        return string.Create(prefix.Length + length, (random, prefix, alphabet), static (chars, s) =>
        {
            s.prefix.CopyTo(chars);
            for (var i = s.prefix.Length; i < chars.Length; i++)
            {
                chars[i] = s.alphabet[s.random.Next(s.alphabet.Length)];
            }
        });
    }
}
