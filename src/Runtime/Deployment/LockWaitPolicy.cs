using System;

namespace SchemaBuild.Runtime.Deployment;

/// <summary>
/// How long a DDL statement may wait for its lock before giving up (so it never sits in the lock
/// queue in front of application queries), how often it is retried, and how long it may run.
/// </summary>
public sealed record LockWaitPolicy
{
    public static readonly LockWaitPolicy Default = new();

    /// <summary>MySQL <c>lock_wait_timeout</c> (whole seconds, at least 1) / PostgreSQL <c>lock_timeout</c>.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts per statement, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Pause after the first failed attempt; doubled after each further one, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Server-side bound on one statement (MariaDB <c>max_statement_time</c>, PostgreSQL <c>statement_timeout</c>).</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The pause before attempt <paramref name="attempt"/> (2-based): exponential with ±25 % jitter.</summary>
    public TimeSpan Backoff(int attempt, Random random)
    {
        var exponent = Math.Clamp(attempt - 2, 0, 30);
        var baseMs = Math.Min(MaxBackoff.TotalMilliseconds, InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 0.75 + (random.NextDouble() * 0.5);
        return TimeSpan.FromMilliseconds(baseMs * jitter);
    }
}
