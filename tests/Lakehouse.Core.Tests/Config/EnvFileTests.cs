using Lakehouse.Core.Config;

namespace Lakehouse.Core.Tests.Config;

public sealed class EnvFileTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("tm-envfile-").FullName;

    [Fact]
    public void Read_ParsesCommentsQuotesAndExport_WithTheLineOfEachEntry()
    {
        var path = Write("""
            # a comment

            TM_HOME=/data/tm
            export TM_WORKERS=3
              TM_API_KEY = "quoted value"   
            TM_S3_REGION='eu-west-1' 
            TM_OTLP_ENDPOINT=http://collector:4317 # trailing comment
            TM_POSTGRES=Host=db;Password=a#b
            TM_EMPTY=
            """);

        var entries = EnvFile.Read(path, NoEnvironment);

        Assert.Equal(
            [("TM_HOME", "/data/tm", 3), ("TM_WORKERS", "3", 4), ("TM_API_KEY", "quoted value", 5), ("TM_S3_REGION", "eu-west-1", 6),
             ("TM_OTLP_ENDPOINT", "http://collector:4317", 7), ("TM_POSTGRES", "Host=db;Password=a#b", 8), ("TM_EMPTY", "", 9)],
            entries.Select(e => (e.Key, e.Value, e.Line)));
        Assert.All(entries, e => Assert.Equal(path, e.File));
    }

    [Fact]
    public void Read_NamesTheFileAndLine_WhenALineIsMalformed()
    {
        var path = Write("TM_HOME=/x\n# fine\nTM_WORKERS 3\n");

        var error = Assert.Throws<ConfigurationException>(() => EnvFile.Read(path, NoEnvironment));

        Assert.Contains($"{path} line 3", error.Message);
        Assert.Contains("KEY=VALUE", error.Message);
    }

    [Theory]
    [InlineData("TM_S3_SECRET_KEY hunter2-very-secret")]
    [InlineData("hunter2-very-secret")]
    [InlineData("hunter2:very=secret")]
    [InlineData("   \"hunter2 very secret\"")]
    public void Read_NamesTheLineNumberButNeverItsText_BecauseAMalformedLineMayBeASecret(string line)
    {
        var path = Write($"TM_HOME=/x\n{line}\n");

        var error = Assert.Throws<ConfigurationException>(() => EnvFile.Read(path, NoEnvironment));

        Assert.Contains($"{path} line 2", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.DoesNotContain("TM_S3_SECRET_KEY", error.Message);
        Assert.DoesNotContain("very", error.Message);
    }

    [Fact]
    public void Read_NamesTheFileAndLine_WhenAQuoteIsNotClosed()
    {
        var path = Write("TM_HOME=\"/x\n");

        var error = Assert.Throws<ConfigurationException>(() => EnvFile.Read(path, NoEnvironment));

        Assert.Contains($"{path} line 1", error.Message);
    }

    [Fact]
    public void Read_ExpandsReferences_FromTheEnvironmentThenEarlierLines_ButNotInSingleQuotes()
    {
        var path = Write("""
            DB_USER=tm
            TM_POSTGRES=Host=${RDS_HOST};Username=${DB_USER}
            TM_API_KEY='${NOT_EXPANDED}'
            """);

        var entries = EnvFile.Read(path, new Dictionary<string, string> { ["RDS_HOST"] = "db.example.internal" });

        Assert.Equal("Host=db.example.internal;Username=tm", entries[1].Value);
        Assert.Equal("${NOT_EXPANDED}", entries[2].Value);
    }

    [Fact]
    public void Read_NamesTheFileLineAndVariable_WhenAReferenceIsUnset()
    {
        var path = Write("TM_HOME=/x\nTM_POSTGRES=Host=${RDS_HOST}\n");

        var error = Assert.Throws<ConfigurationException>(() => EnvFile.Read(path, NoEnvironment));

        Assert.Contains($"{path} line 2", error.Message);
        Assert.Contains("${RDS_HOST}", error.Message);
    }

    [Fact]
    public void Read_NamesTheFile_WhenItDoesNotExist()
    {
        var path = Path.Combine(_folder, "missing.env");

        var error = Assert.Throws<ConfigurationException>(() => EnvFile.Read(path, NoEnvironment));

        Assert.Contains(path, error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.env");
        File.WriteAllText(path, text);
        return path;
    }
}
