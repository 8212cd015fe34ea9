namespace TmLakehouse.Assets.Models;

/// <summary>
/// Where the models live: TM_MODELS_DIR when set; else <c>models/</c> at the root of the repository the program runs in (found
/// from the working directory, then from the program's folder); else the copy published beside the program (Docker images).
/// </summary>
public static class SqlModelFolder
{
    public const string Variable = "TM_MODELS_DIR";

    public static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "TmLakehouse.sln")) && Directory.Exists(Path.Combine(dir.FullName, "models")))
                    return Path.Combine(dir.FullName, "models");
        var published = Path.Combine(AppContext.BaseDirectory, "models");
        return Directory.Exists(published) ? published : null;
    }
}
