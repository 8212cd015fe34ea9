using Lakehouse.Core.Config;
using TmLakehouse.Dashboard.Hosting;

namespace Dashboard.Tests.Hosting;

/// <summary>The compose stack's dashboard: the image's ASPNETCORE_HTTP_PORTS is where it listens, which the loopback rule allows only with config/local.env's key.</summary>
public sealed class DockerDashboardTests
{
    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TmLakehouse.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No TmLakehouse.sln above {AppContext.BaseDirectory}.");
    }

    [Fact]
    public void TheImagesHttpPort_IsWhereServeListens_WithTheLocalStacksKey()
    {
        var root = Root();
        var dockerfile = File.ReadAllText(Path.Combine(root, "docker", "Dockerfile"));
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", dockerfile, StringComparison.Ordinal);
        var local = LakehouseConfiguration.Load(Path.Combine(root, "config", "local.env"), new Dictionary<string, string>(), root).Options;
        var image = new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = "8080" };

        var settings = ServeCommand.Settings(null, null, null, local, image);

        Assert.Equal(["http://*:8080"], settings.Urls);
        Assert.True(settings.KeyRequired);
        Assert.Throws<TmLakehouse.Orchestrator.Cli.CliUserException>(() => ServeCommand.Settings(null, null, null, local with { ApiKey = null }, image));
    }
}
