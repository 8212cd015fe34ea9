namespace TmLakehouse.Assets.Silver;

/// <summary>The gate that failed, with the measured rate and the threshold it broke.</summary>
public sealed record SilverGateFailure(string Gate, double Actual, double Threshold, string Message);
