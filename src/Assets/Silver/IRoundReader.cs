namespace TmLakehouse.Assets.Silver;

/// <summary>Reads the rounds of one input, one at a time, into a reused record.</summary>
internal interface IRoundReader : IAsyncDisposable
{
    /// <summary>
    /// Fills <paramref name="round"/> with the next round; false at the end. With <paramref name="keysOnly"/> only what dedup and
    /// quarantine need is parsed (id, slot presence, coordinates, isCache, isProjected, battery) and nothing is counted.
    /// </summary>
    ValueTask<bool> ReadAsync(RoundRecord round, bool keysOnly, long[] malformed, CancellationToken cancellationToken);

    long BytesRead { get; }
}
