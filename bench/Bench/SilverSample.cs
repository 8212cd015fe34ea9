using System.Text.Json;
using TmLakehouse.Assets.SampleData;

namespace TmLakehouse.Bench;

/// <summary>The sample exports the Silver benchmark reads: generated once per (seed, rounds) into a temp cache folder and reused.</summary>
internal static class SilverSample
{
    private const string ManifestName = "manifest.json";

    public static string Folder(int seed, int roundsPerCourse, string? course = null, int? eventDays = null) =>
        Path.Combine(Path.GetTempPath(), "tmlake-bench-silver",
            $"seed{seed}-rounds{roundsPerCourse}" + (course is null ? "" : $"-{course}") + (eventDays is null ? "" : $"-days{eventDays}"));

    /// <summary>
    /// The cached sample (all five courses, or one course whose rounds spread over <paramref name="eventDays"/> days), generating
    /// it first when the folder has no manifest (the manifest is written last).
    /// </summary>
    public static SampleDataManifest Ensure(int seed, int roundsPerCourse, string? course = null, int? eventDays = null)
    {
        var folder = Folder(seed, roundsPerCourse, course, eventDays);
        var manifestPath = Path.Combine(folder, ManifestName);
        if (File.Exists(manifestPath)) return Load(folder);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); // a generation that died half-way
        var tmp = folder + ".tmp-" + Environment.ProcessId;
        var options = new SampleDataOptions { OutputDirectory = tmp, Seed = seed, RoundsPerCourse = roundsPerCourse, Courses = course is null ? null : [course] };
        var manifest = SampleDataGenerator.Generate(eventDays is { } days ? options with { EventDays = days } : options);
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
