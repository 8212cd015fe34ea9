using System.Text.Json;
using Lakehouse.Core.Execution;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Quality;
using Lakehouse.Core.Sensors;
using TmLakehouse.Assets.Bronze;
using TmLakehouse.Assets.Spatial;

namespace TmLakehouse.Assets.Landing;

/// <summary>
/// The landing-zone manifest sensor (LANDING_AND_SPATIAL §1): watches <c>manifests/*.json</c> in the landing bucket, validates each
/// new or re-uploaded manifest completely, and asks for one run per manifest under <c>run_key = batch_id:sha256</c>. An invalid
/// manifest fails the tick naming its field or file and leaves a quarantine report under <c>landing/batch_id=&lt;id&gt;/</c>; nothing
/// else is written for it. Rounds are landed in Bronze by <see cref="BronzeLanding"/>, as `tmlake land` lands them.
/// </summary>
public static class ManifestSensor
{
    public const string Name = "landing_manifests";

    public static SensorDefinition Definition { get; } = new(Name, TimeSpan.FromSeconds(10), EvaluateAsync)
    {
        Description = "Ingests each batch of the landing zone once its manifests/<batch_id>.json arrives (rounds into Bronze, spatial files into spatial/).",
    };

    public static async Task<SensorResult> EvaluateAsync(SensorContext context, CancellationToken cancellationToken)
    {
        var resources = context.Resources;
        var landing = resources.Objects.For(Layers.Landing);
        var seen = ManifestCursor.Parse(context.Cursor);
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new List<SensorRunRequest>();
        var errors = new List<string>();
        await foreach (var info in landing.ListAsync(ManifestValidation.Folder, cancellationToken))
        {
            if (!ManifestValidation.IsManifestKey(info.Key)) continue;
            var mark = ManifestCursor.MarkOf(info);
            next[info.Key] = mark;
            if (seen.TryGetValue(info.Key, out var before) && before == mark) continue;

            var (manifest, problems, sha256) = await ReadAsync(landing, info, resources, context.Clock, cancellationToken);
            if (manifest is null)
            {
                errors.Add(string.Join("; ", problems));
                if (!context.DryRun) await QuarantineAsync(resources, info.Key, sha256, problems, context.Clock, cancellationToken);
                continue;
            }
            requests.Add(RequestOf(manifest, resources, context.Clock));
        }
        return new SensorResult
        {
            RunRequests = requests,
            Errors = errors,
            Cursor = ManifestCursor.Format(next),
            SkipReason = requests.Count == 0 && errors.Count == 0 ? "no new or re-uploaded manifest" : null,
        };
    }

    private static async Task<(LandingManifest?, IReadOnlyList<string>, string)> ReadAsync(IObjectStore landing, ObjectInfo info, LakehouseResources resources,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (info.Size > ManifestValidation.MaxManifestBytes)
            return (null, [$"{info.Key}: {info.Size} bytes is more than a manifest may hold ({ManifestValidation.MaxManifestBytes})"], "");
        byte[] content;
        try
        {
            await using var stream = await landing.OpenReadAsync(info.Key, cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        catch (ObjectNotFoundException)
        {
            return (null, [$"{info.Key}: deleted while it was being read"], "");
        }
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var (manifest, errors) = await ManifestValidation.ValidateAsync(info.Key, content, landing, resources.Objects, clock, cancellationToken);
        return (manifest, errors, sha256);
    }

    /// <summary>The run of a valid manifest, and what prepares it once its key is claimed (landing the rounds, registering the spatial batch).</summary>
    public static SensorRunRequest RequestOf(LandingManifest manifest, LakehouseResources resources, TimeProvider clock)
    {
        var intent = ManifestIntents.EffectiveIntent(manifest, out var note);
        var tags = new Dictionary<string, string>
        {
            ["source"] = "manifest",
            [ManifestTags.BatchId] = manifest.BatchId,
            [ManifestTags.Manifest] = manifest.Key,
            [ManifestTags.ManifestSha256] = manifest.Sha256,
            ["intent"] = manifest.Intent,
            ["uploader"] = manifest.Uploader,
        };
        if (note is not null) tags[ManifestTags.IntentNote] = note;

        if (intent == ManifestIntents.IngestRounds)
        {
            // The day the manifest is seen is fixed here, so a launch completed by a later tick lands into the same partition.
            var (course, date) = ManifestValidation.RoundsTargetOf(manifest.Metadata, clock)!.Value;
            var request = new RunRequest(BronzeRoundsRawAsset.Key.Value) { Partitions = [BronzePartitions.KeyOf(course, date)], Tags = tags };
            return new SensorRunRequest(manifest.RunKey, request)
            {
                Prepare = async (runId, ct) =>
                {
                    await ManifestRoundsLanding.LandAsync(manifest, course, date, runId, resources, clock, ct);
                    return request;
                },
            };
        }
        var spatial = new RunRequest(SpatialBatchAssets.KeyOf(intent).Value) { Partitions = [manifest.BatchId], Tags = tags };
        return new SensorRunRequest(manifest.RunKey, spatial)
        {
            Prepare = async (_, ct) =>
            {
                await resources.Instance.Partitions.AddDynamicPartitionKeysAsync(Spatial.Output.SpatialTables.BatchPartitions, [manifest.BatchId], ct);
                return spatial;
            },
        };
    }

    /// <summary>The report of a refused manifest: under <c>landing/batch_id=&lt;id&gt;/</c>, keyed by the manifest's hash so a re-upload of the same bytes rewrites it.</summary>
    private static async Task QuarantineAsync(LakehouseResources resources, string key, string sha256, IReadOnlyList<string> problems, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var report = new QuarantineReport
        {
            Layer = Layers.Landing,
            Asset = Name,
            Step = "validate_manifest",
            RunId = "manifest-" + (sha256.Length >= 16 ? sha256[..16] : "unreadable"),
            Partition = new Dictionary<string, string> { [ManifestTags.BatchId] = ManifestValidation.BatchIdOfKey(key) },
            InputPaths = [key],
            StepFailed = true,
            Error = string.Join("; ", problems),
            ReasonCounts = new Dictionary<string, long> { ["invalid_manifest"] = problems.Count },
            CreatedAt = clock.GetUtcNow(),
        };
        await new QuarantineWriter(resources.Objects).WriteAsync(report, null, cancellationToken);
    }
}

/// <summary>The tags a manifest's run carries, so its steps find the manifest it came from.</summary>
public static class ManifestTags
{
    public const string BatchId = "batch_id";
    public const string Manifest = "manifest";
    public const string ManifestSha256 = "manifest_sha256";
    public const string IntentNote = "intent_note";
}
