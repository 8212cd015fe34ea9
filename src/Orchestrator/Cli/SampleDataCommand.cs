using System.CommandLine;
using TmLakehouse.Assets.SampleData;

namespace TmLakehouse.Orchestrator.Cli;

/// <summary>`tmlake sample-data --out DIR [--courses ...] [--rounds N] [--seed S]`: deterministic exports with every quirk of the data contract.</summary>
internal static class SampleDataCommand
{
    public static Option<int> RoundsOption() => new("--rounds") { Description = "Rounds per course (default 5,500: about 27,500 rounds and 1.35 M Silver rows in all).", DefaultValueFactory = _ => 5_500 };
    public static Option<int> SeedOption() => new("--seed") { Description = "The same seed writes the same bytes.", DefaultValueFactory = _ => 20250601 };
    public static Option<string[]> CoursesOption() => new("--courses") { Description = $"A subset of: {string.Join(", ", SampleDataOptions.AllCourses)}.", AllowMultipleArgumentsPerToken = true };

    public static Command Create(CliEnvironment environment)
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "The folder to write the exports to.", Required = true };
        var courses = CoursesOption();
        var rounds = RoundsOption();
        var seed = SeedOption();
        var command = new Command("sample-data", "Write realistic round exports (CSV and one MongoDB JSON) for five courses.") { output, courses, rounds, seed };
        command.SetAction((parse, ct) =>
        {
            var manifest = Generate(environment.Out, parse.GetValue(output)!.FullName, parse.GetValue(courses), parse.GetValue(rounds), parse.GetValue(seed), ct);
            environment.Out.WriteLine($"{manifest.Files.Count} file(s), {manifest.TotalRounds:N0} rounds, {manifest.TotalLocationRows:N0} location rows, {manifest.TotalBytes / 1024.0 / 1024.0:0.0} MiB.");
            return Task.FromResult(0);
        });
        return command;
    }

    public static SampleDataManifest Generate(TextWriter output, string folder, string[]? courses, int rounds, int seed, CancellationToken cancellationToken)
    {
        var unknown = (courses ?? []).Except(SampleDataOptions.AllCourses).ToList();
        if (unknown.Count > 0) throw new CliUserException($"Unknown course(s) {string.Join(", ", unknown)}; the generator knows {string.Join(", ", SampleDataOptions.AllCourses)}.");
        if (rounds < 1) throw new CliUserException("--rounds must be at least 1.");
        output.WriteLine($"Writing sample exports to {folder} ...");
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions
        {
            OutputDirectory = folder,
            Courses = courses is { Length: > 0 } ? courses : null,
            RoundsPerCourse = rounds,
            Seed = seed,
        }, cancellationToken);
        foreach (var file in manifest.Files)
            output.WriteLine($"  {file.FileName,-44} {file.CourseId,-15} {file.Format,-4} {file.Rounds,7:N0} rounds {file.Bytes / 1024.0 / 1024.0,7:0.0} MiB");
        foreach (var sections in manifest.SectionFiles)
            output.WriteLine($"  sections/{Path.GetFileName(sections),-35} section polygons (land with intent course_sections)");
        return manifest;
    }
}
