using Bench.Core.Text;
using Bench.Simulator.Generation;

namespace Bench.Simulator.Tests.Generation;

public class AnswerTextTests
{
    [Fact]
    public void Append_InChunksOrAtOnce_GivesTheSameSyntheticText()
    {
        using var whole = new AnswerText(new Random(9), 50);
        whole.Append(50);
        using var chunked = new AnswerText(new Random(9), 4);
        var text = "";
        while (chunked.Tokens < 50)
        {
            chunked.Clear();
            chunked.Append(Math.Min(4, 50 - chunked.Tokens));
            text += chunked.Text.ToString();
        }

        Assert.Equal(whole.Text.ToString(), text);
        Assert.Equal(50, SyntheticText.CountTokens(text));
        Assert.False(text.StartsWith(' '));
    }
}
