using Lakehouse.Core.Assets;
using Orchestrator.Tests.Support;
using TmLakehouse.Orchestrator.Hosting;

namespace Orchestrator.Tests.Execution;

/// <summary>The coordinator scenarios on the embedded backend: SQLite instance and catalog, Hangfire in memory.</summary>
public sealed class EmbeddedRunCoordinatorTests : RunCoordinatorTests
{
    protected override Task<LakehouseRuntime> OpenAsync(IReadOnlyList<AssetDefinition> assets, int workers = 2) =>
        Runtimes.EmbeddedAsync(Home, assets, workers);
}
