namespace TmLakehouse.Assets.Silver;

/// <summary>One input file of a Silver partition: its name (for messages) and a way to open it, as often as the transform needs.</summary>
public sealed record SilverInput(string Name, Func<CancellationToken, Task<Stream>> Open)
{
    public static SilverInput FromFile(string path) =>
        new(Path.GetFileName(path), _ => Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan)));
}
