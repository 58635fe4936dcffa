using Bench.Core.Records;

namespace Bench.Micro.Records;

/// <summary>
/// Successful streaming records of the shape a default run writes: model <c>deepseek-v3.2</c> (priced in the built-in
/// catalogue), 1,000 prompt tokens, 100 completion tokens in <see cref="TokenEvents"/> token events (one time each in
/// <see cref="RequestRecord.TokenEventsMs"/>), usage from the server, times in ms on the run clock. Drawn from a seeded
/// <see cref="Random"/> (TTFT 150–650 ms, inter-token gaps 5–45 ms), so every run gets the same records.
/// </summary>
internal static class TypicalRecords
{
    /// <summary>Token events per record: 100.</summary>
    public const int TokenEvents = 100;

    /// <summary>The model named in every record, priced in <see cref="Bench.Core.Pricing.PriceCatalog.BuiltIn"/>.</summary>
    public const string Model = "deepseek-v3.2";

    /// <summary><paramref name="count"/> records, ids 1..count, sent 10 ms apart.</summary>
    public static RequestRecord[] Create(int count)
    {
        var random = new Random(17);
        var records = new RequestRecord[count];
        for (var i = 0; i < count; i++)
        {
            var sent = 10.0 * i;
            var firstToken = sent + 150 + (500 * random.NextDouble());
            var times = new List<double>(TokenEvents);
            var t = firstToken;
            for (var e = 0; e < TokenEvents; e++)
            {
                times.Add(Math.Round(t, 3));
                t += 5 + (40 * random.NextDouble());
            }

            var last = times[^1];
            records[i] = new RequestRecord
            {
                Id = i + 1,
                Model = Model,
                Mode = Mode.Streaming,
                IntendedMs = sent,
                SentMs = Math.Round(sent + 0.05, 3),
                HeadersMs = Math.Round(firstToken - 3, 3),
                FirstByteMs = Math.Round(firstToken - 2, 3),
                FirstTokenMs = times[0],
                FirstOutputTokenMs = times[0],
                LastTokenMs = last,
                EndMs = Math.Round(last + 1.5, 3),
                TokenEventsMs = times,
                HttpStatus = 200,
                Outcome = Outcome.Success,
                FinishReason = "stop",
                PromptTokens = 1000,
                CompletionTokens = TokenEvents,
                TokensSource = TokenSources.Usage,
                Events = TokenEvents + 3,
                ContentChars = 4 * TokenEvents,
            };
        }

        return records;
    }
}
