namespace Lakehouse.Core.Quality;

/// <summary>Whether a failed check is an error or a warning.</summary>
public enum AssetCheckSeverity { Error, Warn }
