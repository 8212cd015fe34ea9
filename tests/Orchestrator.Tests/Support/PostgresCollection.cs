using TestSupport;

namespace Orchestrator.Tests.Support;

/// <summary>The orchestrator test classes that share one PostgreSQL server (each test creates its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "PostgreSQL server (orchestrator)";
}
