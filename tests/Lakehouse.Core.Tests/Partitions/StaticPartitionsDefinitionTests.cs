using Lakehouse.Core.Partitions;

namespace Lakehouse.Core.Tests.Partitions;

public class StaticPartitionsDefinitionTests
{
    private static readonly StaticPartitionsDefinition Tees = new("tee", ["black", "blue", "white"]);

    [Theory]
    [InlineData("blue")]
    [InlineData("  blue ")]
    [InlineData("tee=blue")]
    public void Parse_AcceptsABareValueOrItsDimension(string text)
    {
        Assert.Equal(new PartitionKey("blue"), Tees.Parse(text));
    }

    [Fact]
    public void Parse_RejectsAnUndeclaredKey_ListingTheKnownOnes()
    {
        var error = Assert.Throws<FormatException>(() => Tees.Parse("red"));

        Assert.Contains("'red' is not a partition of dimension 'tee' (known: black, blue, white)", error.Message);
    }

    [Theory]
    [InlineData("colour=blue", "does not name dimension 'tee'")]
    [InlineData("tee=", "gives no value for dimension 'tee'")]
    [InlineData(" ", "empty partition key")]
    public void Parse_RejectsKeysForOtherOrNoDimension(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Tees.Parse(text));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task GetKeys_AreTheDeclaredKeys()
    {
        var keys = await Tees.GetKeysAsync(new FakePartitionKeySource(), TimeProvider.System, CancellationToken.None);

        Assert.Equal(["black", "blue", "white"], keys.Select(k => k.Value));
    }
}
