using System;

namespace SchemaBuild.Runtime.State;

/// <summary>One step of a recorded deployment.</summary>
public sealed record StepRecord(int StepId, string ObjectName, string Change, string Strategy, string Status)
{
    public int Attempts { get; init; }

    public int StatementsDone { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public long? DurationMs { get; init; }

    public string? Error { get; init; }

    /// <summary>How far a long-running step got (JSON), when it records progress.</summary>
    public string? Progress { get; init; }
}
