using System.Security.Cryptography;

namespace TmLakehouse.Assets.Bronze;

/// <summary>Streaming SHA-256 of files and objects, as lower-case hex.</summary>
internal static class FileHashing
{
    public static async Task<string> Sha256Async(Stream content, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));

    public static async Task<string> Sha256OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = OpenSequential(path);
        return await Sha256Async(file, cancellationToken);
    }

    public static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
