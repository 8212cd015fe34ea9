namespace Lakehouse.Core.Instance;

/// <summary>Where a backfill stands: launching and following its runs, or ended (every partition succeeded, some failed, or canceled).</summary>
public enum BackfillStatus { Requested, Completed, Failed, Canceled }
