using System;
using System.Collections.Generic;

namespace SchemaBuild.Runtime.State;

/// <summary>
/// One row of the ghost-copy control table: one table rebuilt by one step of one deployment. The
/// checkpoint is <see cref="Watermark"/> (last copied key, JSON with typed values),
/// <see cref="StreamPosition"/> (where the change stream resumes) and the counters; a checkpoint is
/// written only after what it claims is committed in the shadow.
/// </summary>
public sealed record GhostCopyRecord(string DeploymentId, int StepId, string Table, string State)
{
    public string Shadow { get; init; } = string.Empty;

    public string Old { get; init; } = string.Empty;

    public string Changelog { get; init; } = string.Empty;

    /// <summary>Copy key columns (JSON array of names).</summary>
    public string? CopyKey { get; init; }

    /// <summary>The last key copied (JSON), null before the first chunk.</summary>
    public string? Watermark { get; init; }

    public bool CopyComplete { get; init; }

    /// <summary>The change stream's position after the last change applied (engine format, e.g. <c>mariadb-bin.000003:1234</c>).</summary>
    public string? StreamPosition { get; init; }

    public long RowsCopied { get; init; }

    public long RowsEstimated { get; init; }

    public long EventsApplied { get; init; }

    public int ChunkRows { get; init; }

    /// <summary>Who drives the copy (user@host pid) and when it last said so.</summary>
    public string? Owner { get; init; }

    public DateTimeOffset? HeartbeatAt { get; init; }

    public int CutoverAttempts { get; init; }

    /// <summary>Paused by <c>dotnet schema pause</c>: the copy waits until <c>resume</c>.</summary>
    public bool Paused { get; init; }

    /// <summary>Why the copy is waiting right now (load, replica lag, paused), null when it runs.</summary>
    public string? ThrottleReason { get; init; }

    /// <summary>Every object the copy created (JSON array of table names).</summary>
    public string? Artifacts { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary><c>auto</c> or <c>manual</c>: how the cutover is approved (null before the copy reached the gate).</summary>
    public string? Gate { get; init; }

    /// <summary>When every table of the deployment was first in sync and held at the gate ("ready since").</summary>
    public DateTimeOffset? ReadyAt { get; init; }

    /// <summary>Who approved the cutover (<c>dotnet schema cutover</c>) and when.</summary>
    public string? ApprovedBy { get; init; }

    public DateTimeOffset? ApprovedAt { get; init; }

    /// <summary>Who asked to cancel (<c>dotnet schema cancel</c>) and when; the running copy stops and removes its artifacts.</summary>
    public string? CancelRequestedBy { get; init; }

    public DateTimeOffset? CancelRequestedAt { get; init; }

    /// <summary>How far the applied changes were behind the writes at the last checkpoint, in milliseconds.</summary>
    public long LagMs { get; init; }
}
