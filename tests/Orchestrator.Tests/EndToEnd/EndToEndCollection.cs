namespace Orchestrator.Tests.EndToEnd;

/// <summary>The end-to-end classes each run a whole demo; one at a time keeps them within the machine's cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}
