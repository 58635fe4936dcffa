using System.Net.ServerSentEvents;
using System.Text.Json;
using Bench.Simulator.Hosting;
using Bench.Tests.Shared;
using static Bench.Simulator.Tests.TestSimulator;

namespace Bench.Simulator.Tests.Protocols;

/// <summary>
/// One simulator serving all four protocols from one profile: the same request seed draws the same plan — the same
/// text, the same token count and the same timing (TTFT, each deadline, E2E) — whatever the protocol, so protocols can
/// be compared offline and a run can mix them. Timings are the simulator's own (<see cref="ServerTiming"/>) on a
/// <see cref="SteppingClock"/>: the plan's deadlines exactly, not wall times.
/// </summary>
[Collection(SteppingClock.Collection)]
public class MixedProtocolTests
{
    private static readonly string[] Protocols = ["openai-chat", "openai-responses", "anthropic-messages", "gemini"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_SameSeedInEveryProtocol_SameTextTokensAndTimingPlan(bool stream)
    {
        var clock = new SteppingClock();
        var timings = new TimingLog();
        await using var host = await SimulatorHost.StartAsync(
            new SimulatorOptions { Profiles = [Varied()], TimeProvider = clock, OnCompleted = timings.Add });

        var texts = new List<string>();
        foreach (var seed in new long[] { 7, 8 })
        {
            foreach (var protocol in Protocols)
            {
                using var client = WireClient.Create(host, protocol);
                client.Timeout = Timeout.InfiniteTimeSpan;
                var (path, body) = WireClient.Request(protocol, "varied", stream, prompt: "a prompt of six words here", seed: seed);
                var text = "";
                await clock.RunAsync(async () => text = await ReadTextAsync(client, protocol, path, body, stream));
                texts.Add(text);
            }
        }

        // In arrival order (each request arrives after the previous one has ended, and took fake time).
        var server = (await timings.WaitForAsync(2 * Protocols.Length)).OrderBy(t => t.ReceivedTimestamp).ToArray();
        for (var s = 0; s < 2; s++)
        {
            var group = server.Skip(s * Protocols.Length).Take(Protocols.Length).ToArray();
            var chat = group[0];
            Assert.True(chat.CompletionTokens > 0);
            Assert.All(group, t =>
            {
                Assert.Equal(200, t.StatusCode);
                Assert.Equal(chat.CompletionTokens, t.CompletionTokens);
                Assert.Equal(chat.FinishReason, t.FinishReason);
                Assert.Equal(chat.LastByteTimestamp - chat.StartedTimestamp, t.LastByteTimestamp - t.StartedTimestamp);
                Assert.Equal(chat.FirstTokenTimestamp - chat.StartedTimestamp, t.FirstTokenTimestamp - t.StartedTimestamp);
            });
            var groupTexts = texts.Skip(s * Protocols.Length).Take(Protocols.Length).ToArray();
            Assert.All(groupTexts, t => Assert.Equal(groupTexts[0], t));
            Assert.Equal(chat.CompletionTokens, Words(groupTexts[0]));
        }

        // Another seed, another plan: the comparison above is not of constants.
        Assert.NotEqual(texts[0], texts[Protocols.Length]);
    }

    /// <summary>The answer's text, from the stream's deltas or the non-streaming object.</summary>
    private static async Task<string> ReadTextAsync(HttpClient client, string protocol, string path, object body, bool stream)
    {
        if (!stream)
        {
            var (_, answer) = await WireClient.JsonAsync(client, path, body);
            return protocol switch
            {
                "openai-responses" => answer.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!,
                "anthropic-messages" => answer.GetProperty("content")[0].GetProperty("text").GetString()!,
                "gemini" => answer.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()!,
                _ => MessageContent(answer),
            };
        }

        using var response = await WireClient.PostAsync(client, path, body);
        await using var content = await response.Content.ReadAsStreamAsync();
        var text = "";
        await foreach (var item in SseParser.Create(content).EnumerateAsync())
        {
            if (item.Data == "[DONE]")
            {
                continue;
            }

            using var json = JsonDocument.Parse(item.Data);
            var root = json.RootElement;
            text += protocol switch
            {
                "openai-responses" when item.EventType == "response.output_text.delta" => root.GetProperty("delta").GetString(),
                "anthropic-messages" when item.EventType == "content_block_delta" => root.GetProperty("delta").GetProperty("text").GetString(),
                "gemini" when root.GetProperty("candidates")[0].TryGetProperty("content", out var c) => c.GetProperty("parts")[0].GetProperty("text").GetString(),
                "openai-chat" when root.GetProperty("choices").GetArrayLength() > 0
                    && root.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) => c.GetString(),
                _ => "",
            };
        }

        return text;
    }
}
