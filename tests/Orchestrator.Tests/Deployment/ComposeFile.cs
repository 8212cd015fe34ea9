using YamlDotNet.RepresentationModel;

namespace Orchestrator.Tests.Deployment;

/// <summary>docker-compose.yml parsed as YAML, with the few lookups the tests need.</summary>
internal sealed class ComposeFile
{
    private ComposeFile(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public YamlMappingNode Services => (YamlMappingNode)Root["services"];

    public static ComposeFile Load()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(RepositoryFiles.Read("docker-compose.yml"));
        yaml.Load(reader);
        return new ComposeFile((YamlMappingNode)yaml.Documents.Single().RootNode);
    }

    public YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    public IEnumerable<string> ServiceNames => Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    /// <summary>A compose value that may be written as one string or as a list of strings.</summary>
    public static IReadOnlyList<string> Strings(YamlMappingNode node, string key) => Child(node, key) switch
    {
        YamlScalarNode s => [s.Value!],
        YamlSequenceNode list => list.Children.Select(c => ((YamlScalarNode)c).Value!).ToList(),
        null => [],
        var other => throw new InvalidOperationException($"Unexpected {other.NodeType} at {key}."),
    };

    /// <summary>The environment of a service, whether written as a map or as KEY=VALUE items.</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service) => Child(service, "environment") switch
    {
        YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? ""),
        YamlSequenceNode list => list.Children.Select(c => ((YamlScalarNode)c).Value!.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
        _ => new Dictionary<string, string>(),
    };
}
