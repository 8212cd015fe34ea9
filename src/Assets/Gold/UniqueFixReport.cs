namespace TmLakehouse.Assets.Gold;

/// <summary>What a <see cref="UniqueSilverFixes"/> read saw: Silver rows, rounds found in several ingests, copies resolved away, passes.</summary>
internal sealed record UniqueFixReport(long RowsIn, long ReexportedRounds, long DuplicateFixes, int Passes);
