using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// One unit of a deployment: the changes it makes, how (strategy), the SQL statements in order,
/// the lock it takes, whether it rewrites the table, and the diagnostics that concern it.
/// </summary>
public sealed record PlanStep(int Id, string ObjectName, string Change, Strategy Strategy, EquatableList<string> Sql)
{
    /// <summary>The typed changes this step makes (for validation and the runtime; not serialized).</summary>
    public EquatableList<SchemaChange> Changes { get; init; } = EquatableList<SchemaChange>.Empty;

    public LockLevel Lock { get; init; } = LockLevel.Brief;

    public bool RewritesTable { get; init; }

    /// <summary>False for statements that cannot run in a transaction (CONCURRENTLY) or on MySQL (implicit commit).</summary>
    public bool Transactional { get; init; }

    /// <summary>Ids of the diagnostics about this step's objects.</summary>
    public EquatableList<string> Diagnostics { get; init; } = EquatableList<string>.Empty;

    /// <summary>Counts that must be zero before the step runs (<see cref="StepPrecheck"/>).</summary>
    public EquatableList<StepPrecheck> Prechecks { get; init; } = EquatableList<StepPrecheck>.Empty;

    /// <summary>For ghost copies: the table copied along its key (the runtime rebuilds it with the new definition).</summary>
    public QualifiedName? Table { get; init; }
}
