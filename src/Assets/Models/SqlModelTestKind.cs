namespace TmLakehouse.Assets.Models;

/// <summary>The dbt-style tests a model may declare (<c>custom</c> is a .sql file under models/tests/).</summary>
public enum SqlModelTestKind { NotNull, Unique, AcceptedValues, AcceptedRange, Relationships, Expression, SourceFreshness, Custom }
