namespace SchemaBuild.Core.Model;

/// <summary>When a constraint is checked (PostgreSQL).</summary>
public enum Deferrability
{
    NotDeferrable,
    DeferrableInitiallyImmediate,
    DeferrableInitiallyDeferred,
}
