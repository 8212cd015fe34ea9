using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lakehouse.Core.Objects;
using TmLakehouse.Assets.Bronze;

namespace TmLakehouse.Assets.Landing;

/// <summary>
/// Checks a manifest against every rule of LANDING_AND_SPATIAL §1 before anything is written: JSON, each required field, each
/// file's path (inside its batch), type, existence and size, the intent against the files' types, and for <c>ingest_rounds</c> the
/// course, ingest date and Bronze's own cheap checks on every export. Every problem is reported, each naming its field or file.
/// </summary>
public static partial class ManifestValidation
{
    public const string Folder = "manifests/";

    /// <summary>A manifest is a small document; a bigger object under manifests/ is refused before it is read.</summary>
    public const long MaxManifestBytes = 1 << 20;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex BatchIdPattern();

    /// <summary>True for <c>manifests/&lt;name&gt;.json</c> directly in the manifests folder.</summary>
    public static bool IsManifestKey(string key) =>
        key.StartsWith(Folder, StringComparison.Ordinal) && key.EndsWith(".json", StringComparison.Ordinal) && key.IndexOf('/', Folder.Length) < 0 && key.Length > Folder.Length + 5;

    /// <summary>The batch id a manifest's file name gives, for naming its quarantine report even when its content is unreadable.</summary>
    public static string BatchIdOfKey(string key)
    {
        var name = Path.GetFileNameWithoutExtension(key);
        return BatchIdPattern().IsMatch(name) ? name : "invalid_name";
    }

    /// <summary>The manifest, or every error found (never both).</summary>
    public static async Task<(LandingManifest? Manifest, IReadOnlyList<string> Errors)> ValidateAsync(string key, byte[] content, IObjectStore landing,
        IObjectStoreProvider objects, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!IsManifestKey(key)) return (null, [$"{key}: not a manifest key (manifests/<batch_id>.json)"]);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            return (null, [$"{key}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}"]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, [$"{key}: the manifest must be a JSON object, not {root.ValueKind}"]);

            var batchId = RequiredString(root, "batch_id", errors);
            var expected = Path.GetFileNameWithoutExtension(key);
            if (batchId is not null && !BatchIdPattern().IsMatch(batchId))
            {
                errors.Add($"batch_id: '{batchId}' must be 1 to 64 letters, digits, '_' or '-'");
                batchId = null;
            }
            else if (batchId is not null && batchId != expected)
                errors.Add($"batch_id: '{batchId}' differs from the manifest's file name {key} (expected '{expected}')");
            var uploader = RequiredString(root, "uploader", errors);
            var intent = RequiredString(root, "intent", errors);

            var metadata = "{}";
            if (root.TryGetProperty("metadata", out var meta) && meta.ValueKind != JsonValueKind.Null)
            {
                if (meta.ValueKind == JsonValueKind.Object) metadata = meta.GetRawText();
                else errors.Add($"metadata: must be a JSON object, not {meta.ValueKind}");
            }

            var files = await FilesAsync(root, batchId, landing, errors, cancellationToken);

            if (intent is not null && files.Count > 0) CheckIntent(intent, files, errors);
            if (intent == ManifestIntents.IngestRounds || (intent is not null && !ManifestIntents.TypeOf.ContainsKey(intent) && files.Count > 0 && files[0].Type == ManifestIntents.Rounds))
                await CheckRoundsAsync(files, metadata, landing, objects, clock, errors, cancellationToken);

            if (errors.Count > 0 || batchId is null || uploader is null || intent is null) return (null, errors.Select(e => $"{key}: {e}").ToList());
            var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
            return (new LandingManifest(key, sha256, batchId, uploader, intent, files, metadata), []);
        }
    }

    private static async Task<List<ManifestFile>> FilesAsync(JsonElement root, string? batchId, IObjectStore landing, List<string> errors, CancellationToken cancellationToken)
    {
        var files = new List<ManifestFile>();
        if (!root.TryGetProperty("files", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            errors.Add("files: required");
            return files;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"files: must be an array, not {array.ValueKind}");
            return files;
        }
        if (array.GetArrayLength() == 0)
        {
            errors.Add("files: must list at least one file");
            return files;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        var valid = true;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"files[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{field}: must be an object, not {item.ValueKind}");
                valid = false;
                continue;
            }
            var before = errors.Count;
            var path = RequiredString(item, "path", errors, field);
            var type = RequiredString(item, "type", errors, field);
            if (type is not null && !ManifestIntents.FileTypes.Contains(type))
                errors.Add($"{field}.type: '{type}' is not one of {string.Join(", ", ManifestIntents.FileTypes)}");
            var format = OptionalString(item, "format", errors, field);
            var crs = OptionalString(item, "crs", errors, field);
            var dataset = OptionalString(item, "dataset", errors, field);
            if (path is not null && PathProblem(path, batchId) is { } problem) errors.Add($"{field}.path: '{path}' {problem}");
            else if (path is not null && !seen.Add(path)) errors.Add($"{field}.path: '{path}' is listed twice");
            else if (path is not null)
            {
                var info = await landing.StatAsync(path, cancellationToken);
                if (info is null) errors.Add($"{field}.path: {path} does not exist in the landing bucket ({landing.Bucket})");
                else if (info.Size == 0) errors.Add($"{field}.path: {path} is empty (size 0)");
            }
            if (errors.Count == before) files.Add(new ManifestFile(path!, type!, format, crs, dataset));
            else valid = false;
        }
        return valid ? files : [];
    }

    /// <summary>Why a file path may not be used, or null: relative to the landing bucket, inside <c>&lt;batch_id&gt;/</c>, no '..', no other bucket.</summary>
    public static string? PathProblem(string path, string? batchId)
    {
        if (path.Contains("://", StringComparison.Ordinal)) return "names another bucket or location: paths are relative to the landing bucket";
        if (path.StartsWith('/') || path.Contains('\\') || Path.IsPathRooted(path)) return "is absolute or uses '\\': paths are relative to the landing bucket";
        var segments = path.Split('/');
        if (segments.Any(s => s is ".." or "." or "")) return "has an empty, '.' or '..' segment";
        if (path.Any(char.IsControl)) return "contains a control character";
        if (batchId is null) return null;
        return segments.Length >= 2 && segments[0] == batchId ? null : $"is outside its batch: it must start with '{batchId}/'";
    }

    private static void CheckIntent(string intent, IReadOnlyList<ManifestFile> files, List<string> errors)
    {
        if (ManifestIntents.TypeOf.TryGetValue(intent, out var type))
        {
            for (var i = 0; i < files.Count; i++)
                if (files[i].Type != type) errors.Add($"files[{i}].type: '{files[i].Type}' does not fit intent '{intent}', which takes {type} files");
            return;
        }
        var types = files.Select(f => f.Type).Distinct().ToList();
        if (types.Count > 1)
            errors.Add($"intent: '{intent}' is unknown, so the default recipe of the files' type is used, but the files mix types ({string.Join(", ", types)})");
    }

    /// <summary>Rounds need a course and ingest date, each export Bronze's cheap checks, and distinct file names (Bronze keeps one folder per partition).</summary>
    private static async Task CheckRoundsAsync(IReadOnlyList<ManifestFile> files, string metadata, IObjectStore landing, IObjectStoreProvider objects, TimeProvider clock,
        List<string> errors, CancellationToken cancellationToken)
    {
        var target = RoundsTargetOf(metadata, clock, errors);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < files.Count; i++)
        {
            var name = Path.GetFileName(files[i].Path);
            if (names.TryGetValue(name, out var first))
                errors.Add($"files[{i}].path: {files[i].Path} has the same file name as files[{first}] ({files[first].Path}); Bronze keeps one file of a name per course and day");
            else names[name] = i;
        }
        if (target is null) return;
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            await using var local = await LandingDownload.FetchAsync(landing, objects, file.Path, cancellationToken);
            var (_, failure) = await BronzeFileChecks.InspectAsync(local.Path, cancellationToken);
            if (failure is not null) errors.Add($"files[{i}].path: {file.Path}: {failure.Reason}: {failure.Message.Replace(local.Path, file.Path, StringComparison.Ordinal)}");
        }
    }

    /// <summary>The course and ingest date of an <c>ingest_rounds</c> manifest: <c>metadata.course_id</c>, and <c>metadata.ingest_date</c> or today.</summary>
    public static (string CourseId, DateOnly IngestDate)? RoundsTargetOf(string metadata, TimeProvider clock, List<string>? errors = null)
    {
        using var json = JsonDocument.Parse(metadata);
        var root = json.RootElement;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        string? course = root.TryGetProperty("course_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (course is null) errors?.Add("metadata.course_id: required for ingest_rounds (the course of the exports)");
        else if (BronzePartitions.CourseIdProblem(course) is { } problem) errors?.Add($"metadata.course_id: {problem}");
        var date = today;
        if (root.TryGetProperty("ingest_date", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.String || !DateOnly.TryParseExact(d.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                errors?.Add($"metadata.ingest_date: '{d}' is not a date (yyyy-MM-dd)");
                return null;
            }
            if (date > today) errors?.Add($"metadata.ingest_date: {BronzePartitions.Format(date)} is after today ({BronzePartitions.Format(today)})");
            if (date < new DateOnly(2000, 1, 1)) errors?.Add($"metadata.ingest_date: {BronzePartitions.Format(date)} is before 2000-01-01, where ingest dates start");
        }
        return course is null || BronzePartitions.CourseIdProblem(course) is not null ? null : (course, date);
    }

    private static string? RequiredString(JsonElement parent, string name, List<string> errors, string? prefix = null)
    {
        var field = prefix is null ? name : $"{prefix}.{name}";
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{field}: required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{field}: must be a string, not {value.ValueKind}");
            return null;
        }
        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"{field}: must not be empty");
            return null;
        }
        return text;
    }

    private static string? OptionalString(JsonElement parent, string name, List<string> errors, string prefix)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors.Add($"{prefix}.{name}: must be a string, not {value.ValueKind}");
        return null;
    }
}
