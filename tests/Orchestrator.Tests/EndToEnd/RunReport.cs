using System.Globalization;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The materialization metadata of each step's own asset as `tmlake run show ID` prints it ("== step", "  materialization:",
/// then "    key: value"); the materializations of a multi-asset step's other assets ("  materialization of ASSET:") are left out.
/// </summary>
public sealed class RunReport
{
    private readonly Dictionary<string, Dictionary<string, string>> _steps = new(StringComparer.Ordinal);

    public RunReport(string runShowOutput)
    {
        Dictionary<string, string>? current = null;
        var own = false;
        foreach (var line in runShowOutput.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("== ", StringComparison.Ordinal))
                _steps[line[3..].Trim()] = current = new Dictionary<string, string>(StringComparer.Ordinal);
            else if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("    ", StringComparison.Ordinal))
                own = line == "  materialization:";
            else if (current is not null && own && line.StartsWith("    ", StringComparison.Ordinal) && line.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon)
                current[line[..colon].Trim()] = line[(colon + 2)..].Trim();
        }
    }

    public static async Task<RunReport> LoadAsync(TmlakeHome home, string runId) => new(await home.OkAsync("run", "show", runId));

    public IReadOnlyDictionary<string, string> Step(string step) =>
        _steps.TryGetValue(step, out var metadata) ? metadata : throw new Xunit.Sdk.XunitException($"run show has no step '{step}'; it has {string.Join(", ", _steps.Keys)}");

    public long Number(string step, string key) =>
        Step(step).TryGetValue(key, out var value)
            ? long.Parse(value, CultureInfo.InvariantCulture)
            : throw new Xunit.Sdk.XunitException($"step '{step}' has no metadata '{key}'");
}
