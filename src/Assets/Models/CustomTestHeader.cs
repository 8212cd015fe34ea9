using Lakehouse.Core.Quality;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TmLakehouse.Assets.Models;

/// <summary>The optional front matter of a custom test (<c>models/tests/*.sql</c>): name, description, severity.</summary>
internal sealed record CustomTestHeader(string? Name, string Description, AssetCheckSeverity Severity)
{
    public static CustomTestHeader Read(string? yaml, string file, int firstLine)
    {
        var result = new CustomTestHeader(null, "", AssetCheckSeverity.Error);
        if (string.IsNullOrWhiteSpace(yaml)) return result;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw SqlModelException.At(file, firstLine + (int)e.Start.Line - 1, $"the header is not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0) return result;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw SqlModelException.At(file, firstLine, "the header must be a mapping of name, description, severity.");
        foreach (var (key, value) in root.Children)
        {
            var line = firstLine + (int)key.Start.Line - 1;
            var text = (value as YamlScalarNode)?.Value ?? throw SqlModelException.At(file, line, "expected a single value here.");
            result = ((YamlScalarNode)key).Value switch
            {
                "name" => result with { Name = text },
                "description" => result with { Description = text },
                "severity" => result with
                {
                    Severity = text switch
                    {
                        "error" => AssetCheckSeverity.Error,
                        "warn" => AssetCheckSeverity.Warn,
                        _ => throw SqlModelException.At(file, line, $"severity '{text}' is not known: use error or warn."),
                    },
                },
                var other => throw SqlModelException.At(file, line, $"unknown header key '{other}' of a custom test. Known: name, description, severity."),
            };
        }
        return result;
    }
}
