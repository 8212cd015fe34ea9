using System.Text.Json;
using TmLakehouse.Assets.SampleData;

namespace TmLakehouse.Bench;

/// <summary>The sample exports the Silver benchmark reads: generated once per (seed, rounds) into a temp cache folder and reused.</summary>
internal static class SilverSample
{
    private const string ManifestName = "manifest.json";

    public static string Folder(int seed, int roundsPerCourse) =>
        Path.Combine(Path.GetTempPath(), "tmlake-bench-silver", $"seed{seed}-rounds{roundsPerCourse}");

    /// <summary>The cached sample, generating it first when the folder has no manifest (the manifest is written last).</summary>
    public static SampleDataManifest Ensure(int seed, int roundsPerCourse)
    {
        var folder = Folder(seed, roundsPerCourse);
        var manifestPath = Path.Combine(folder, ManifestName);
        if (File.Exists(manifestPath)) return Load(folder);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); // a generation that died half-way
        var tmp = folder + ".tmp-" + Environment.ProcessId;
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = tmp, Seed = seed, RoundsPerCourse = roundsPerCourse });
        // Paths in the manifest are made relative so the folder can be renamed into place.
        manifest = manifest with { Files = manifest.Files.Select(f => f with { Path = f.FileName }).ToList() };
        File.WriteAllText(Path.Combine(tmp, ManifestName), JsonSerializer.Serialize(manifest));
        Directory.Move(tmp, folder);
        return Load(folder);
    }

    public static SampleDataManifest Load(string folder)
    {
        var manifest = JsonSerializer.Deserialize<SampleDataManifest>(File.ReadAllText(Path.Combine(folder, ManifestName)))
            ?? throw new InvalidDataException($"{folder}/{ManifestName} is empty");
        return manifest with { Files = manifest.Files.Select(f => f with { Path = Path.Combine(folder, f.FileName) }).ToList() };
    }
}
