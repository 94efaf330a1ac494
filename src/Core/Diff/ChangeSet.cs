using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Diff;

/// <summary>Every difference between a baseline (<see cref="From"/>) and a desired model (<see cref="To"/>).</summary>
public sealed record ChangeSet(Schema From, Schema To, EquatableList<SchemaChange> Changes)
{
    public bool IsEmpty => Changes.Count == 0;
}
