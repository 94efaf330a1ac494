namespace SchemaBuild.Core.Model;

/// <summary>A PostgreSQL identity column (<c>GENERATED ALWAYS|BY DEFAULT AS IDENTITY</c>).</summary>
public sealed record IdentityColumn(bool Always)
{
    public SequenceOptions Options { get; init; } = new();
}
