using System.Reflection;

namespace Lakehouse.Core.Instance.Storage;

/// <summary>A numbered schema migration, read from the SQL files embedded beside each store (<c>0001_initial.sql</c> ...).</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>Every script of one database kind ("sqlite", "postgres"), in version order.</summary>
    public static IReadOnlyList<MigrationScript> Load(string database)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var prefix = $"migrations/{database}/";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = resource[prefix.Length..];
            var underscore = file.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(file[..underscore], out var version))
                throw new InvalidOperationException($"Migration '{file}' must be named <number>_<name>.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(version, Path.GetFileNameWithoutExtension(file)[(underscore + 1)..], reader.ReadToEnd()));
        }
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two {database} migrations share version {duplicate.Key}.");
        return scripts.OrderBy(s => s.Version).ToList();
    }
}
