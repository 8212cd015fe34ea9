namespace TmLakehouse.Assets.Bronze;

/// <summary>Where landed files came from, as their ledger rows record it: a manifest's batch, uploader, intent and metadata (JSON object text).</summary>
public sealed record LandingOrigin(string? BatchId, string? Uploader, string? Intent, string Metadata = "{}")
{
    /// <summary>`tmlake land` by the user running it.</summary>
    public static LandingOrigin Cli(string user) => new(null, user, "ingest_rounds");
}
