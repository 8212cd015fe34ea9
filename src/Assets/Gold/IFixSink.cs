namespace TmLakehouse.Assets.Gold;

/// <summary>Where <see cref="UniqueSilverFixes"/> delivers each fix of a course once.</summary>
internal interface IFixSink
{
    void Add(string roundId, in TelemetryFix fix);

    /// <summary>Called between batches of fixes: the moment to write out what was built.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
