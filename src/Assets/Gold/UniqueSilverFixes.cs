using Lakehouse.Core.Tables;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// Delivers every (round_id, location_index) of a course's Silver rows once across ingests (DATA_CONTRACT.md §4 "One fix, one
/// count"). A first pass finds the rounds that landed in several ingests; rounds of one ingest stream straight through (Silver
/// already keeps one copy per ingest), while the copies of re-exported rounds are resolved in groups of at most
/// <see cref="RowsPerGroup"/> rows, one extra pass per group, so memory stays bounded however many ingests a course has.
/// </summary>
internal static class UniqueSilverFixes
{
    /// <summary>Rows of re-exported rounds held at once (about 40 MB of copies at most).</summary>
    public const long RowsPerGroup = 131_072;

    private const int FlushEvery = 4096;

    public static async Task<UniqueFixReport> ReadAsync(ITableCatalog tables, string courseId, IReadOnlyList<string> columns, IFixSink sink,
        long rowsPerGroup, CancellationToken cancellationToken)
    {
        var silver = await SilverTelemetryScan.OpenAsync(tables, courseId, cancellationToken);
        var census = await RoundIngestCensus.TakeAsync(silver, rowsPerGroup, cancellationToken);
        long resolved = 0, rowsSeen = 0;
        var passes = Math.Max(1, census.Groups);
        for (var pass = 0; pass < passes; pass++)
        {
            var copies = census.Groups > 0 ? new ReexportedRoundCopies() : null;
            await foreach (var batch in silver.ScanAsync(columns, cancellationToken))
            {
                var reader = new TelemetryFixReader(batch);
                ReadOnlySpan<byte> previousId = default;
                string? roundId = null;
                RoundIngestCensus.Entry round = default;
                for (var row = 0; row < batch.Length; row++)
                {
                    var idBytes = reader.RoundIds.GetBytes(row);
                    if (roundId is null || !idBytes.SequenceEqual(previousId))
                    {
                        if (reader.RoundIds.IsNull(row)) throw new InvalidDataException($"A Silver row of course {courseId} has no round_id, a required column.");
                        round = census.Find(idBytes);
                        roundId = round.Id;
                        previousId = idBytes;
                    }
                    if (!round.SeveralIngests)
                    {
                        if (pass == 0) sink.Add(roundId, reader.Read(row));
                    }
                    else if (round.Group == pass) copies!.Offer(roundId, reader.IngestDay(row), reader.Read(row));
                }
                if (pass == 0) rowsSeen += batch.Length;
                await sink.FlushAsync(cancellationToken);
            }
            if (copies is null) continue;
            var kept = 0;
            foreach (var (id, fix) in copies.Kept())
            {
                sink.Add(id, fix);
                if (++kept % FlushEvery == 0) await sink.FlushAsync(cancellationToken);
            }
            await sink.FlushAsync(cancellationToken);
            resolved += copies.Resolved;
        }
        if (rowsSeen != census.RowsIn)
            throw new InvalidOperationException($"Silver returned {rowsSeen} row(s) of course {courseId} after {census.RowsIn} in the first pass of the same snapshot.");
        return new UniqueFixReport(census.RowsIn, census.ReexportedRounds, resolved, passes);
    }
}
