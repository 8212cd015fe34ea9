namespace TmLakehouse.Assets.Spatial.Recipes;

/// <summary>Maps a manifest intent to its vector recipe (§3); an unknown intent gets the default recipe and a note saying so.</summary>
public static class VectorRecipes
{
    public const string IngestVector = "ingest_vector";
    public const string CourseSections = "course_sections";

    public static VectorRecipe Default { get; } = new(IngestVector,
        [new MakeValidStep(), new NormalizeCrsStep(), new SimplifyStep(), new SpatialIndexStep()]);

    /// <summary>Sections are matched against fixes: simplifying would move their shared edges, so they skip it.</summary>
    public static VectorRecipe Sections { get; } = new(CourseSections,
        [new MakeValidStep(), new NormalizeCrsStep(), new SpatialIndexStep()]);

    public static IReadOnlyList<VectorRecipe> All { get; } = [Default, Sections];

    /// <summary>The recipe of an intent; <paramref name="note"/> says when the default stood in for an unknown one.</summary>
    public static VectorRecipe ForIntent(string intent, out string? note)
    {
        note = null;
        var recipe = All.FirstOrDefault(r => r.Name == intent);
        if (recipe is not null) return recipe;
        note = $"intent '{intent}' has no vector recipe of its own; the default '{Default.Name}' ran";
        return Default;
    }
}
