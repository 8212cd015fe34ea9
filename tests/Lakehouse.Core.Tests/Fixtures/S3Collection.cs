using TestSupport;

namespace Lakehouse.Core.Tests.Fixtures;

/// <summary>Shares one S3 server between every S3 test class.</summary>
[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "s3";
}
