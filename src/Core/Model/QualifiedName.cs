namespace SchemaBuild.Core.Model;

/// <summary>
/// An object name with an optional schema. MySQL objects have no schema (the database is the
/// connection's); PostgreSQL objects are normalized to an explicit schema (<c>public</c> by default).
/// </summary>
public sealed record QualifiedName(string? Schema, string Name)
{
    public static QualifiedName Unqualified(string name) => new(null, name);

    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}
