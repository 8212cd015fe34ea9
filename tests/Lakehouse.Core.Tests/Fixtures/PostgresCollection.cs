using TestSupport;

namespace Lakehouse.Core.Tests.Fixtures;

/// <summary>The test collection that shares one PostgreSQL server; put <c>[Collection(PostgresCollection.Name)]</c> on a test class to use it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "PostgreSQL server";
}
