namespace TmLakehouse.Assets.Bronze;

/// <summary>Why a file failed a cheap check: a reason code and one line naming the file and where in it.</summary>
internal sealed record BronzeCheckFailure(string Reason, string Message, long RowsCounted = 0);
