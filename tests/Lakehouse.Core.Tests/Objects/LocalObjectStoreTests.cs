using Lakehouse.Core.Objects;

namespace Lakehouse.Core.Tests.Objects;

/// <summary>The object-store contract against a folder.</summary>
public sealed class LocalObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly string _root;

    public LocalObjectStoreTests() : this(Directory.CreateTempSubdirectory("tm-local-store-").FullName) { }

    private LocalObjectStoreTests(string root) : base(new LocalObjectStore(root, "tm-test")) => _root = root;

    [Fact]
    public void LocationOf_IsAFileUri_OfTheObjectsPath()
    {
        var location = Store.LocationOf("course_id=x/a b.csv");

        Assert.StartsWith("file:///", location);
        Assert.Equal(Path.Combine(_root, "tm-test", "course_id=x", "a b.csv"), new Uri(location).LocalPath);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
