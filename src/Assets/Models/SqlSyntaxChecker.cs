using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;

namespace TmLakehouse.Assets.Models;

/// <summary>
/// Checks model SQL with DuckDB's parser (<see cref="SqlModelText.CheckSyntax"/>), remembering across processes the texts that
/// parsed (as dbt's partial parsing does): every tmlake command loads the models, and opening DuckDB for the check loaded its
/// 60 MB library into commands that run no model at all (pilot Silver `tmlake materialize`: libduckdb.so 27 MB of the 370 MB
/// peak RSS). DuckDB is opened only for a text not seen before; a text that fails is never remembered, so it fails every load.
/// The cache is keyed by the DuckDB.NET version (its parser decides) and is only a shortcut: an unreadable or unwritable
/// cache folder means every text is parsed.
/// </summary>
internal sealed class SqlSyntaxChecker : IDisposable
{
    private readonly string? _cacheFile;
    private readonly HashSet<string> _known;
    private readonly List<string> _added = [];
    private DuckDBConnection? _connection;

    public SqlSyntaxChecker(string? cacheFolder)
    {
        var version = typeof(DuckDBConnection).Assembly.GetName().Version;
        _cacheFile = cacheFolder is null ? null : Path.Combine(cacheFolder, $"sql-syntax-duckdb-net-{version}.txt");
        _known = ReadKnown(_cacheFile);
    }

    /// <summary>The user's cache folder for tmlake: <c>$XDG_CACHE_HOME/tmlake</c>, else <c>~/.cache/tmlake</c>; null when there is no home.</summary>
    public static string? DefaultCacheFolder()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "tmlake");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "tmlake");
    }

    /// <summary>Texts DuckDB parsed in this load (the others were known to parse).</summary>
    public int Parsed { get; private set; }

    /// <exception cref="SqlModelException">The SQL does not parse, or is more than one statement.</exception>
    public void Check(string sql, int bodyLine, string file)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        if (_known.Contains(key)) return;
        if (_connection is null)
        {
            _connection = new DuckDBConnection("Data Source=:memory:");
            _connection.Open();
        }
        Parsed++;
        SqlModelText.CheckSyntax(_connection, sql, bodyLine, file);
        _known.Add(key);
        _added.Add(key);
    }

    private static HashSet<string> ReadKnown(string? file)
    {
        try
        {
            return file is not null && File.Exists(file) ? File.ReadLines(file).Where(l => l.Length == 64).ToHashSet(StringComparer.Ordinal) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Adds this load's new texts to the cache: written beside it and renamed over it, so a concurrent reader sees one or the other.</summary>
    private void Save()
    {
        if (_cacheFile is null || _added.Count == 0) return;
        var temp = $"{_cacheFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_cacheFile)!);
            // Another process may have added texts since this one read the file: keep theirs too.
            var all = ReadKnown(_cacheFile);
            all.UnionWith(_added);
            File.WriteAllLines(temp, all.Order(StringComparer.Ordinal));
            File.Move(temp, _cacheFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception d) when (d is IOException or UnauthorizedAccessException) { }
        }
    }

    public void Dispose()
    {
        _connection?.Dispose();
        Save();
    }
}
