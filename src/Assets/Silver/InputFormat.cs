namespace TmLakehouse.Assets.Silver;

/// <summary>The two export formats of DATA_CONTRACT.md §1.</summary>
internal enum InputFormat { Csv, Json }
