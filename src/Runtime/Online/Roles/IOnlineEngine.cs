using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// One engine's ghost-copy implementation: prepares the shadow and creates the roles for a table.
/// The core (<see cref="GhostCopy"/>, <see cref="GhostCopyGroup"/>) only talks to these interfaces.
/// </summary>
internal interface IOnlineEngine : IAsyncDisposable
{
    /// <summary>
    /// What the copy would do, without changing anything (dry run): shadow DDL, copy key, estimated
    /// rows. Throws <see cref="GhostCopyRefusedException"/> when the table cannot be copied online.
    /// </summary>
    Task<GhostCopyDescription> DescribeAsync(GhostCopyRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the shadow (target definition) and changelog tables, or finds them when resuming
    /// (<paramref name="resume"/>: they exist from the earlier run and are kept with their rows).
    /// Idempotent: a prepare interrupted half way is completed by calling it again.
    /// </summary>
    Task<GhostCopyTable> PrepareAsync(GhostCopyRequest request, bool resume, CancellationToken cancellationToken);

    /// <summary>A new change stream (its own connection) for the given tables.</summary>
    IChangeStream CreateChangeStream(IReadOnlyList<GhostCopyTable> tables);

    IRowCopier CreateCopier(GhostCopyTable table);

    IChangeApplier CreateApplier(GhostCopyTable table);

    IChecksum CreateChecksum(GhostCopyTable table);

    ICutover CreateCutover();

    /// <summary>The probes the throttler asks before each chunk (load, replica lag).</summary>
    IReadOnlyList<IThrottleProbe> ThrottleProbes { get; }

    /// <summary>True when the table exists (a resume checks its shadow is still there).</summary>
    Task<bool> ExistsAsync(string table, CancellationToken cancellationToken);

    /// <summary>Drops the shadow and changelog of a cancelled copy, or the old table after <c>complete</c>; missing objects are ignored.</summary>
    Task DropAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken);
}

/// <summary>One ghost-copy step as the engine needs it: the table and the step's ALTER statements (the target definition).</summary>
/// <param name="Name">The table as the plan names it.</param>
/// <param name="AlterStatements">The plan step's statements, written for the original table; the engine applies them to the empty shadow.</param>
internal sealed record GhostCopyRequest(SchemaBuild.Core.Model.QualifiedName Name, IReadOnlyList<string> AlterStatements)
{
    /// <summary>The table's name (unquoted), the key of its control-table row.</summary>
    public string Table => Name.Name;

    /// <summary>The step's typed changes: an engine that builds the shadow from the target definition applies them to the live table's model.</summary>
    public System.Collections.Generic.IReadOnlyList<SchemaBuild.Core.Diff.SchemaChange> Changes { get; init; } = System.Array.Empty<SchemaBuild.Core.Diff.SchemaChange>();
}

/// <summary>What a dry run says about one ghost copy.</summary>
internal sealed record GhostCopyDescription(string Table, string Shadow, IReadOnlyList<string> ShadowDdl, IReadOnlyList<string> KeyColumns, long EstimatedRows, IReadOnlyList<string> Notes);

/// <summary>The table cannot be copied online (no usable key, unsupported foreign keys, ...): the message says why and what to do. Nothing was changed.</summary>
internal sealed class GhostCopyRefusedException : Exception
{
    public GhostCopyRefusedException(string message)
        : base(message)
    {
    }
}
