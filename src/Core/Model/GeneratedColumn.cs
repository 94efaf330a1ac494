namespace SchemaBuild.Core.Model;

/// <summary>A generated column's expression (normalized text) and whether it is stored or virtual.</summary>
public sealed record GeneratedColumn(string Expression, bool Stored)
{
    /// <summary>The expression as written (PostgreSQL); deployed instead of <see cref="Expression"/>, never compared.</summary>
    public WrittenSql Written { get; init; } = WrittenSql.None;
}
