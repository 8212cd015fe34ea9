namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>An ordered list of steps run over one layer, named for lineage.</summary>
public sealed record VectorRecipe(string Name, IReadOnlyList<VectorStep> Steps)
{
    /// <summary>The steps with their parameters, as the metadata document's lineage lists them.</summary>
    public IReadOnlyList<object> Describe() => Steps.Select(s => (object)new { step = s.Name, parameters = s.Parameters }).ToList();
}
