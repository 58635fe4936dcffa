namespace Bench.Simulator.Tests.Replay;

/// <summary>Small recordings built in code.</summary>
internal static class Recordings
{
    /// <summary>A chunk event with a content delta.</summary>
    public static string Content(string text) =>
        $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"rec\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{text}\"}},\"finish_reason\":null}}]}}\n\n";

    /// <summary>The role prelude chunk.</summary>
    public const string Role =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"rec\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";

    /// <summary>The finish chunk.</summary>
    public const string Finish =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"rec\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";

    /// <summary>A usage chunk.</summary>
    public const string Usage =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"rec\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\n\n";

    public const string Done = "data: [DONE]\n\n";

    /// <summary>Prelude, then 1 + 2 + 1 estimated tokens ("abcd", "abcdefgh", "wxyz"), finish, usage, [DONE].</summary>
    public static string Paced { get; } =
        Role + Content("abcd") + Content("abcdefgh") + Content("wxyz") + Finish + Usage + Done;
}
