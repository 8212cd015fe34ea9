using TestSupport;

namespace Assets.Tests.Fixtures;

/// <summary>The test collection sharing one throwaway PostgreSQL server; its databases get PostGIS (CreatePostGisDatabaseAsync).</summary>
[CollectionDefinition(Name)]
public sealed class PostGisCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "PostGIS server";
}
