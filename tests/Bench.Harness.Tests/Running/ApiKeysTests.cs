using Bench.Core.Configuration;
using Bench.Harness.Running;

namespace Bench.Harness.Tests.Running;

/// <summary>Key sources: a file's first line, an environment variable, or none; errors name where, never what.</summary>
public sealed class ApiKeysTests : IDisposable
{
    private const string Secret = "sk-keyfile-SECRET-42";
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteKeyFile(string content)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".key");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Read_FileWithKeyAndTrailingLines_FirstLineTrimmed()
    {
        var path = WriteKeyFile($"  {Secret}  \nsecond line\n");
        Assert.Equal(Secret, ApiKeys.Read(KeySource.FromFile(path), "s.json", "$.targets[0]"));
    }

    [Fact]
    public void Read_Keyless_Null()
    {
        Assert.Null(ApiKeys.Read(KeySource.Keyless, "s.json", "$.targets[0]"));
        Assert.True(KeySource.Keyless.IsKeyless);
    }

    [Fact]
    public void Read_MissingFile_NamesFileAndField()
    {
        var path = Path.Combine(_dir, "absent.key");
        var error = Assert.Single(Assert.Throws<ConfigException>(() => ApiKeys.Read(KeySource.FromFile(path), "s.json", "$.targets[1]")).Errors);
        Assert.Equal(("s.json", "$.targets[1].api_key_file"), (error.File, error.Path));
        Assert.Contains(path, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFirstLine_Refused()
    {
        var path = WriteKeyFile($"\n{Secret}\n");
        var ex = Assert.Throws<ConfigException>(() => ApiKeys.Read(KeySource.FromFile(path), "s.json", "$.target"));
        Assert.Contains("missing or empty", Assert.Single(ex.Errors).Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DirectoryInsteadOfFile_RefusedNamingIt()
    {
        var error = Assert.Single(Assert.Throws<ConfigException>(() => ApiKeys.Read(KeySource.FromFile(_dir), "s.json", "$.target")).Errors);
        Assert.Equal("$.target.api_key_file", error.Path);
    }

    [Fact]
    public void Read_KeyWithControlCharacter_RefusedWithoutShowingIt()
    {
        var path = WriteKeyFile($"{Secret}\u0007tail\n");
        var ex = Assert.Throws<ConfigException>(() => ApiKeys.Read(KeySource.FromFile(path), "s.json", "$.target"));
        Assert.Contains("control characters", Assert.Single(ex.Errors).Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", string.Join(" ", ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileFromFlag_ErrorNamesTheFlag()
    {
        var error = Assert.Single(Assert.Throws<ConfigException>(() => ApiKeys.Read(KeySource.FromFile(Path.Combine(_dir, "none"), fromFlag: true), "s.json", "$.target")).Errors);
        Assert.Equal("--api-key-file", error.Path);
    }

    [Fact]
    public void Read_UnsetVariable_NamesVariableAndField()
    {
        var name = "BENCH_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var error = Assert.Single(Assert.Throws<ConfigException>(() => ApiKeys.Read(KeySource.FromEnv(name), "s.json", "$.targets[2]")).Errors);
        Assert.Equal("$.targets[2].api_key_env", error.Path);
        Assert.Contains(name, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_VariableSet_ItsTrimmedValue()
    {
        var name = "BENCH_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, $" {Secret} ");
        try
        {
            Assert.Equal(Secret, ApiKeys.Read(KeySource.FromEnv(name), null, "$.target"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void CheckTransport_KeylessTargetOverPlainHttpToAnotherHost_Accepted()
    {
        var endpoint = new Bench.Core.Client.Endpoint(new Uri("http://10.0.0.5:8000/v1"));
        ApiKeys.CheckTransport("s.json", new Bench.Core.Planning.PlanOverrides(), endpoint.BaseAddress, allowInsecureHttp: false, endpoint.CarriesSecret, "$.targets[1]");
    }

    [Fact]
    public void CheckTransport_CredentialHeaderOverPlainHttpToAnotherHost_RefusedNamingTheTarget()
    {
        var endpoint = new Bench.Core.Client.Endpoint(new Uri("http://10.0.0.5:8000/v1")) { Headers = new Dictionary<string, string> { ["api-key"] = Secret } };
        var ex = Assert.Throws<ConfigException>(() =>
            ApiKeys.CheckTransport("s.json", new Bench.Core.Planning.PlanOverrides(), endpoint.BaseAddress, allowInsecureHttp: false, endpoint.CarriesSecret, "$.targets[1]"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.targets[1].base_url", error.Path);
        Assert.DoesNotContain("SECRET", ex.ToString(), StringComparison.Ordinal);
    }
}
