using System.Text.Json;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Browser;

/// <summary>
/// Runs a script of browser/ (playwright-core driving Debian's /usr/bin/chromium headless) and reads the one JSON line it prints.
/// A missing node or chromium fails the test: it is never skipped, on CI or off it.
/// </summary>
internal static class BrowserScript
{
    public static async Task<JsonElement> RunAsync(string script, params string[] arguments)
    {
        var node = ProcessRunner.Find("node") ?? throw new InvalidOperationException("node is not on PATH: the browser test needs Node.js (apt-get install nodejs npm).");
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: the browser test needs Chromium (apt-get install chromium).");
        var scripts = Folder();
        if (!Directory.Exists(Path.Combine(scripts, "node_modules", "playwright-core")))
        {
            var npm = ProcessRunner.Find("npm") ?? throw new InvalidOperationException("npm is not on PATH.");
            var (code, output) = await ProcessRunner.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], scripts, TimeSpan.FromMinutes(5));
            Assert.True(code == 0, $"npm ci failed in {scripts}:\n{output}");
        }
        var (exit, text) = await ProcessRunner.RunAsync(node, [script, .. arguments], scripts, TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, $"the browser script {script} failed:\n{text}");
        return JsonDocument.Parse(text.Trim().Split('\n').Last(l => l.StartsWith('{'))).RootElement;
    }

    /// <summary>A folder for a test's screenshots, under the test output.</summary>
    public static string Screenshots(string test)
    {
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots", test);
        Directory.CreateDirectory(shots);
        return shots;
    }

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Dashboard.Tests", "browser");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/Dashboard.Tests/browser not found above {AppContext.BaseDirectory}.");
    }
}
