using System.Security.Cryptography;

namespace TmLakehouse.Orchestrator.Execution;

/// <summary>Makes run ids: short, lower-case, unique enough to type (12 hex characters).</summary>
public static class RunIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
