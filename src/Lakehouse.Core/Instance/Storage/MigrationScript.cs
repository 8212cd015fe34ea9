namespace Lakehouse.Core.Instance.Storage;

/// <summary>
/// A numbered schema migration, read from the SQL files embedded from <c>Instance/Migrations</c>: <c>0003_name.sql</c> for
/// every database, <c>0001_name.sqlite.sql</c> for one (see the README beside them).
/// </summary>
internal sealed record MigrationScript(int Version, string Name, string Sql)
{
    private const string Prefix = "migrations/";

    /// <summary>Every script for one database kind ("sqlite", "postgres"), in version order.</summary>
    public static IReadOnlyList<MigrationScript> Load(string database)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource[Prefix.Length..^".sql".Length];
            var dot = file.IndexOf('.');
            if (dot >= 0 && file[(dot + 1)..] != database) continue;
            var stem = dot >= 0 ? file[..dot] : file;
            var underscore = stem.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(stem[..underscore], out var version))
                throw new InvalidOperationException($"Migration '{file}.sql' must be named <number>_<name>.sql or <number>_<name>.<database>.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(version, stem[(underscore + 1)..], reader.ReadToEnd()));
        }
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two {database} migrations share version {duplicate.Key}.");
        return scripts.OrderBy(s => s.Version).ToList();
    }
}
