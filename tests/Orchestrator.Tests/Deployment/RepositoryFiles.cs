namespace Orchestrator.Tests.Deployment;

/// <summary>Finds files of the repository these tests were built from.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TmLakehouse.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No TmLakehouse.sln above {AppContext.BaseDirectory}.");
    }
}
