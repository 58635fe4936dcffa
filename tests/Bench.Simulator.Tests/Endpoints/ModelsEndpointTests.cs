using System.Net.Http.Json;
using System.Text.Json;

namespace Bench.Simulator.Tests.Endpoints;

public class ModelsEndpointTests
{
    [Fact]
    public async Task Get_Authorised_ListsEveryProfile()
    {
        await using var host = await TestSimulator.StartAsync(TestSimulator.Fast("a"), TestSimulator.Fast("b"));
        using var client = TestSimulator.CreateClient(host);

        var list = await client.GetFromJsonAsync<JsonElement>(new Uri("models", UriKind.Relative));

        Assert.Equal("list", list.GetProperty("object").GetString());
        var models = list.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["a", "b"], models.Select(m => m.GetProperty("id").GetString()));
        Assert.All(models, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.Equal("tests", m.GetProperty("owned_by").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 1_700_000_000);
        });
    }
}
