namespace Lakehouse.Core.Objects;

/// <summary>Thrown when an object that must exist does not.</summary>
public sealed class ObjectNotFoundException(string location) : Exception($"No object at {location}.")
{
    public string Location { get; } = location;
}
