using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Other engines reading our tables the way Lakehouse.Core.Tests' IcebergInteropTests do: DuckDB over the Parquet files of the
/// current snapshot, icebird (npm) over the table metadata through the same tests/Lakehouse.Core.Tests/interop/read-table.mjs.
/// </summary>
public static class LakeReaders
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>The live data files of the current snapshot as `tmlake table files` lists them (local paths).</summary>
    public static async Task<IReadOnlyList<string>> CurrentFilesAsync(TmlakeHome home, string table)
    {
        var output = await home.OkAsync("table", "files", table);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])
            .Where(p => p.StartsWith("file://", StringComparison.Ordinal))
            .Select(p => new Uri(p).LocalPath).ToList();
    }

    /// <summary>Runs one scalar query over the Parquet files as the view <c>t</c>; no files is an empty table.</summary>
    public static async Task<long> DuckDbScalarAsync(IReadOnlyList<string> files, string sql)
    {
        if (files.Count == 0) return 0;
        var list = string.Join(", ", files.Select(f => $"'{f.Replace("'", "''", StringComparison.Ordinal)}'"));
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using (var view = connection.CreateCommand())
        {
            view.CommandText = $"CREATE VIEW t AS SELECT * FROM read_parquet([{list}])";
            await view.ExecuteNonQueryAsync();
        }
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Reads the table's newest metadata file with icebird and returns its rows.</summary>
    public static async Task<JsonElement[]> IcebirdRowsAsync(string tableFolder)
    {
        var metadata = Directory.GetFiles(Path.Combine(tableFolder, "metadata"), "*.metadata.json")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).Last()!;
        return await IcebirdRowsAsync(new Uri(tableFolder).AbsoluteUri, metadata);
    }

    private static string InteropFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Lakehouse.Core.Tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new DirectoryNotFoundException("No tests/Lakehouse.Core.Tests/interop/package.json above the test binaries.");
    }

    /// <summary>Reads a table with icebird through a given metadata file (e.g. the one a REST catalog returned).</summary>
    public static async Task<JsonElement[]> IcebirdRowsAsync(string tableLocation, string metadataLocation)
    {
        var output = await RunNodeAsync("read-table.mjs", tableLocation, metadataLocation[(metadataLocation.LastIndexOf('/') + 1)..]);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.Clone()).ToArray();
        Assert.Equal(json.RootElement.GetProperty("count").GetInt32(), rows.Length);
        return rows;
    }

    /// <summary>Runs tests/Lakehouse.Core.Tests/interop/catalog.mjs (iceberg-js, a REST catalog client) and parses what it prints.</summary>
    public static async Task<JsonElement> IcebergJsAsync(params string[] args)
    {
        using var json = JsonDocument.Parse(await RunNodeAsync("catalog.mjs", args));
        return json.RootElement.Clone();
    }

    private static async Task<string> RunNodeAsync(string script, params string[] args)
    {
        var folder = InteropFolder();
        await InstallLock.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "icebird")) || !Directory.Exists(Path.Combine(folder, "node_modules", "iceberg-js")))
                await ExecAsync(folder, "npm", "ci", "--no-audit", "--no-fund");
        }
        finally
        {
            InstallLock.Release();
        }
        return await ExecAsync(folder, "node", [script, .. args]);
    }

    private static async Task<string> ExecAsync(string folder, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
