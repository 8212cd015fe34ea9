namespace Orchestrator.Tests.Deployment;

public sealed class DockerfileTests
{
    private readonly string[] _lines = File.ReadAllLines(RepositoryFiles.PathOf("docker/Dockerfile"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public void Dockerfile_BuildsWithTheSdk_AndRunsOnTheAspNetRuntime_InTwoStages()
    {
        var stages = _lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, stages.Count);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:[0-9][^ ]* AS build$", stages[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:[0-9][^ ]* AS runtime$", stages[1]);
        Assert.Contains(_lines, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        Assert.Contains(_lines, l => l.StartsWith("RUN dotnet publish src/Dashboard/Dashboard.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_RunsAsANonRootUser_InTheFinalStage()
    {
        var lastFrom = Array.FindLastIndex(_lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var users = _lines.Skip(lastFrom).Where(l => l.StartsWith("USER ", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(users);
        Assert.DoesNotContain(users[^1][5..].Trim(), new[] { "root", "0", "0:0" });
    }

    [Fact]
    public void Dockerfile_StartsThePublishedTmlakeAssembly()
    {
        Assert.Equal("ENTRYPOINT [\"dotnet\", \"tmlake.dll\"]", _lines[^1]);
        var dashboard = File.ReadAllText(RepositoryFiles.PathOf("src/Dashboard/Dashboard.csproj"));
        Assert.Contains("<AssemblyName>tmlake</AssemblyName>", dashboard);
    }

    [Fact]
    public void Dockerfile_CopiesEverySourceProject_BeforeTheRestore()
    {
        var restore = Array.FindIndex(_lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var projects = Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepositoryFiles.Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();

        Assert.Contains("src/Dashboard/Dashboard.csproj", projects);
        Assert.All(projects, project =>
            Assert.Contains(_lines.Take(restore), l => l.StartsWith($"COPY {project} ", StringComparison.Ordinal)));
    }
}
