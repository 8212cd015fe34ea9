using Lakehouse.Core.Assets;
using Lakehouse.Core.Partitions;
using TmLakehouse.Assets.Bronze;

namespace TmLakehouse.Assets.Models;

/// <summary>The asset definitions of a project's table models, wired to the code-defined assets they read.</summary>
public static class SqlModelDefinitions
{
    public static IReadOnlyList<AssetDefinition> Of(SqlModelProject project, IReadOnlyList<AssetDefinition> code)
    {
        var partitionsOf = code.SelectMany(d => d.Specs).ToDictionary(s => s.Key, s => s.Partitions);
        foreach (var model in project.TableModels) partitionsOf[model.Key] = PartitionsOf(model);
        return project.TableModels.Select(model => new AssetDefinition(SpecOf(project, model, partitionsOf), new SqlModelAsset(project, model))).ToList();
    }

    private static PartitionsDefinition? PartitionsOf(SqlModel model) =>
        model.Partitioning == SqlModelPartitioning.Course ? BronzePartitions.Courses : null;

    private static AssetSpec SpecOf(SqlModelProject project, SqlModel model, IReadOnlyDictionary<AssetKey, PartitionsDefinition?> partitionsOf) => new(model.Key)
    {
        Description = model.Description.Length > 0 ? model.Description : $"SQL model {model.File}.",
        Partitions = PartitionsOf(model),
        Deps = project.AssetUpstreamsOf(model).Select(key => new AssetDependency(key, MappingOf(model, partitionsOf.GetValueOrDefault(key)))).ToList(),
        Checks = model.Tests.Select(t => t.ToCheckSpec()).ToList(),
        CodeVersion = model.Hash,
        Automation = model.Automation.ToCondition(),
    };

    /// <summary>A course model reads every ingest of its course from a (course, ingest date) upstream and the same course from a course one.</summary>
    private static PartitionMapping? MappingOf(SqlModel model, PartitionsDefinition? upstream) => (model.Partitioning, upstream) switch
    {
        (SqlModelPartitioning.Course, MultiPartitionsDefinition) => new DimensionPartitionMapping(BronzePartitions.CourseDimension),
        (SqlModelPartitioning.None, not null) => new AllPartitionMapping(),
        _ => null,
    };
}
