using System.Text;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>Reads the stored text of a <see cref="MaterializationState"/>, which the stores write as the enum's name.</summary>
internal static class MaterializationStateText
{
    // A switch instead of Enum.Parse: the status read parses one per row, and 100,000 rows must read in 200 ms.
    public static MaterializationState Parse(string text) => text switch
    {
        nameof(MaterializationState.Materialized) => MaterializationState.Materialized,
        nameof(MaterializationState.Failed) => MaterializationState.Failed,
        nameof(MaterializationState.Running) => MaterializationState.Running,
        nameof(MaterializationState.Canceled) => MaterializationState.Canceled,
        _ => throw new InvalidDataException($"'{text}' is not a stored materialization state."),
    };

    /// <summary>The same, from the stored UTF-8 bytes, so a row's state needs no string at all.</summary>
    public static MaterializationState Parse(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("Materialized"u8) ? MaterializationState.Materialized
        : utf8.SequenceEqual("Failed"u8) ? MaterializationState.Failed
        : utf8.SequenceEqual("Running"u8) ? MaterializationState.Running
        : utf8.SequenceEqual("Canceled"u8) ? MaterializationState.Canceled
        : Parse(Encoding.UTF8.GetString(utf8));
}
