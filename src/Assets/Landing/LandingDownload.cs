using Lakehouse.Core.Objects;

namespace TmLakehouse.Assets.Landing;

/// <summary>
/// A landing object copied (streamed) to its own staging folder under its own file name, since Bronze keeps a file under the name
/// it arrived with and the spatial readers find sidecars beside it; disposing deletes the folder.
/// </summary>
public sealed class LandingDownload : IAsyncDisposable
{
    private readonly string _folder;

    private LandingDownload(string folder, string path)
    {
        _folder = folder;
        Path = path;
    }

    public string Path { get; }

    public static async Task<LandingDownload> FetchAsync(IObjectStore landing, IObjectStoreProvider objects, string key, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(objects.Staging.NewPath("landing", "")).FullName;
        try
        {
            return new LandingDownload(folder, await FetchIntoAsync(landing, folder, key, cancellationToken));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>Copies several objects into one staging folder (a Shapefile's sidecars), each under its own name.</summary>
    public static async Task<(LandingDownload Folder, IReadOnlyList<string> Paths)> FetchAllAsync(IObjectStore landing, IObjectStoreProvider objects,
        IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(objects.Staging.NewPath("landing", "")).FullName;
        try
        {
            var paths = new List<string>();
            foreach (var key in keys) paths.Add(await FetchIntoAsync(landing, folder, key, cancellationToken));
            return (new LandingDownload(folder, folder), paths);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>The key's path below its batch folder is kept, so two files of one name in different subfolders stay apart.</summary>
    private static async Task<string> FetchIntoAsync(IObjectStore landing, string folder, string key, CancellationToken cancellationToken)
    {
        var relative = key.Contains('/') ? key[(key.IndexOf('/') + 1)..] : key;
        var path = System.IO.Path.Combine(folder, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await using var source = await landing.OpenReadAsync(key, cancellationToken);
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await source.CopyToAsync(target, cancellationToken);
        return path;
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
