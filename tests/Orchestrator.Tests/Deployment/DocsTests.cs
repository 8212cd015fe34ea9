using System.Text.RegularExpressions;
using Lakehouse.Core.Config;

namespace Orchestrator.Tests.Deployment;

/// <summary>What a reader of the README and docs/ trips on: a link to a file that is not there, a setting the runbook does not explain.</summary>
public sealed partial class DocsTests
{
    [Fact]
    public void EveryRelativeLink_InTheReadmeAndDocs_NamesAFileOfTheRepository()
    {
        var documents = new[] { RepositoryFiles.PathOf("README.md") }
            .Concat(Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md", SearchOption.AllDirectories));
        var broken = new List<string>();
        foreach (var document in documents)
        {
            var lines = File.ReadAllLines(document);
            for (var i = 0; i < lines.Length; i++)
            foreach (Match link in MarkdownLink().Matches(lines[i]))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, Uri.UnescapeDataString(target)));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                    broken.Add($"{Path.GetRelativePath(RepositoryFiles.Root, document)}:{i + 1} links {target}");
            }
        }

        Assert.Empty(broken);
    }

    [Fact]
    public void TheRunbook_ExplainsEverySettingTheConfigurationAccepts()
    {
        var runbook = RepositoryFiles.Read("docs/runbook.md");
        var settings = LakehouseConfiguration.KnownSettings.Concat(["TM_BUCKET_<LAYER>", "TM_POOL_<NAME>"]);

        Assert.All(settings, setting => Assert.Contains($"`{setting}`", runbook));
        Assert.Contains("`TM_LOG_LEVEL`", runbook);
    }

    [Fact]
    public void TheRunbook_PutsTheCatalogInCatalogDb_NotInTheInstanceDatabase()
    {
        var runbook = RepositoryFiles.Read("docs/runbook.md");

        Assert.Contains("`catalog.db` — the Iceberg SQL catalog", runbook);
        Assert.DoesNotMatch(@"catalog[^.\n]*in `instance\.db`", runbook);
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
