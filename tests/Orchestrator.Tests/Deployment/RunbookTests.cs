namespace Orchestrator.Tests.Deployment;

public sealed class RunbookTests
{
    private readonly string _runbook = RepositoryFiles.Read("docs/runbook.md");

    [Fact]
    public void Runbook_DescribesEveryComposeService()
    {
        foreach (var service in ComposeFile.Load().ServiceNames) Assert.Contains($"`{service}`", _runbook);
    }

    [Fact]
    public void Runbook_DocumentsEverySettingTheShippedEnvFilesUse()
    {
        var keys = new[] { "embedded.env", "local.env", "aws.env" }
            .SelectMany(f => Lakehouse.Core.Config.EnvFile.Read(RepositoryFiles.PathOf($"config/{f}"), new Dictionary<string, string> { ["RDS_HOST"] = "h", ["RDS_PASSWORD"] = "p", ["AWS_ACCOUNT_ID"] = "1" }))
            .Select(e => e.Key.StartsWith("TM_BUCKET_", StringComparison.Ordinal) ? "TM_BUCKET_<LAYER>" : e.Key)
            .Distinct();

        Assert.All(keys, key => Assert.Contains($"`{key}`", _runbook));
    }
}
