using System.Text.Json;

namespace TmLakehouse.Assets.Silver;

/// <summary>Counts the entries of a captureLogs JSON value: an array's elements, 1 for any other value, 0 when it is not JSON.</summary>
internal static class CaptureLogs
{
    public static int CountEntries(ReadOnlySpan<byte> json, long[] malformed)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read()) return 0;
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return 1;
            }
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                count++;
                reader.Skip();
            }
            return count;
        }
        catch (JsonException)
        {
            malformed[SilverColumn.LogJson]++;
            return 0;
        }
    }
}
