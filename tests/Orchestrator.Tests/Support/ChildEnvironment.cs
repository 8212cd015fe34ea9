using System.Diagnostics;

namespace Orchestrator.Tests.Support;

/// <summary>Child processes get their settings from the test's env file only: TM_* variables of the test process would override it.</summary>
public static class ChildEnvironment
{
    public static void Clean(ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TM_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
    }
}
