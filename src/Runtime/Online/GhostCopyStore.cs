using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.State;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// Reads and writes the ghost-copy control table (<see cref="StateTableNames.GhostCopies"/>). State
/// moves are compare-and-set (<c>UPDATE … WHERE state IN (allowed predecessors)</c>, see
/// <see cref="GhostCopyState"/>): a row that no longer matches means another process owns the copy,
/// and this one stops with <see cref="ControlTableConflictException"/>.
/// </summary>
public sealed partial class GhostCopyStore
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private const string Columns =
        "deployment_id, step_id, table_name, state, shadow_table, old_table, changelog_table, copy_key, watermark, copy_complete, stream_position, "
        + "rows_copied, rows_estimated, events_applied, chunk_rows, owner, heartbeat_at, cutover_attempts, paused, throttle_reason, artifacts, error, updated_at, "
        + "gate, ready_at, approved_by, approved_at, cancel_requested_by, cancel_requested_at, lag_ms";

    private readonly IDatabaseSession session;
    private readonly string table;

    public GhostCopyStore(IDatabaseSession session, StateTableNames names)
    {
        this.session = session;
        Name = names.GhostCopies;
        table = session.Writer.QuoteIdentifier(names.GhostCopies);
    }

    public string Name { get; }

    /// <summary>The session the control table is read and written through.</summary>
    internal IDatabaseSession Session => session;

    public Task<bool> ExistsAsync(CancellationToken cancellationToken) => session.TableExistsAsync(Name, cancellationToken);

    /// <summary>Creates the row in <see cref="GhostCopyState.Pending"/> unless it exists; returns the row as stored.</summary>
    public async Task<GhostCopyRecord> EnsureAsync(GhostCopyRecord record, CancellationToken cancellationToken)
    {
        var existing = await GetAsync(record.DeploymentId, record.StepId, record.Table, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }

        await session.ExecuteAsync(
            $"INSERT INTO {table} ({Columns}) VALUES ({string.Join(", ", Enumerable.Range(0, 30).Select(P))})",
            new object?[]
            {
                record.DeploymentId, record.StepId, record.Table, GhostCopyState.Pending, record.Shadow, record.Old, record.Changelog, record.CopyKey, null, 0, null,
                0L, record.RowsEstimated, 0L, record.ChunkRows, record.Owner, Now(), 0, 0, null, record.Artifacts, null, Now(),
                null, null, null, null, null, null, 0L,
            },
            cancellationToken).ConfigureAwait(false);
        return (await GetAsync(record.DeploymentId, record.StepId, record.Table, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<GhostCopyRecord?> GetAsync(string deploymentId, int stepId, string tableName, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync($"SELECT {Columns} FROM {table} WHERE deployment_id = {P(0)} AND step_id = {P(1)} AND table_name = {P(2)}",
            new object?[] { deploymentId, stepId, tableName }, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : Read(rows[0]);
    }

    /// <summary>Every ghost copy of a deployment (all deployments when null), in step order.</summary>
    public async Task<IReadOnlyList<GhostCopyRecord>> ListAsync(string? deploymentId, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return Array.Empty<GhostCopyRecord>();
        }

        var rows = deploymentId is null
            ? await session.QueryAsync($"SELECT {Columns} FROM {table} ORDER BY deployment_id, step_id, table_name", null, cancellationToken).ConfigureAwait(false)
            : await session.QueryAsync($"SELECT {Columns} FROM {table} WHERE deployment_id = {P(0)} ORDER BY step_id, table_name", new object?[] { deploymentId }, cancellationToken).ConfigureAwait(false);
        return rows.Select(Read).ToList();
    }

    /// <summary>Moves the row to <paramref name="to"/> from one of its allowed predecessors; throws when the row is elsewhere (another owner).</summary>
    public async Task MoveAsync(GhostCopyRecord record, string to, string? error, CancellationToken cancellationToken)
    {
        var from = GhostCopyState.AllowedFrom(to);
        var values = new List<object?> { to, error, Now(), record.DeploymentId, record.StepId, record.Table };
        values.AddRange(from);
        var moved = await session.ExecuteAsync(
            $"UPDATE {table} SET state = {P(0)}, error = {P(1)}, updated_at = {P(2)} WHERE deployment_id = {P(3)} AND step_id = {P(4)} AND table_name = {P(5)} "
            + $"AND state IN ({string.Join(", ", Enumerable.Range(6, from.Count).Select(P))})",
            values, cancellationToken).ConfigureAwait(false);
        if (moved != 1)
        {
            var current = await GetAsync(record.DeploymentId, record.StepId, record.Table, cancellationToken).ConfigureAwait(false);
            throw new ControlTableConflictException(current is null
                ? $"the ghost copy of {record.Table} (deployment {record.DeploymentId}, step {record.StepId}) is missing from {Name}; cannot mark it {to}"
                : $"the ghost copy of {record.Table} (deployment {record.DeploymentId}, step {record.StepId}) is '{current.State}' and cannot become '{to}': another process drives it, or the row was edited. See `dotnet schema status`.");
        }
    }

    /// <summary>Writes the checkpoint, counters and liveness (the caller has committed what it claims).</summary>
    public Task CheckpointAsync(GhostCopyRecord record, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"UPDATE {table} SET watermark = {P(0)}, copy_complete = {P(1)}, stream_position = {P(2)}, rows_copied = {P(3)}, rows_estimated = {P(4)}, events_applied = {P(5)}, "
            + $"chunk_rows = {P(6)}, owner = {P(7)}, heartbeat_at = {P(8)}, cutover_attempts = {P(9)}, throttle_reason = {P(10)}, artifacts = {P(11)}, copy_key = {P(12)}, "
            + $"shadow_table = {P(13)}, changelog_table = {P(14)}, old_table = {P(15)}, updated_at = {P(16)}, lag_ms = {P(17)} WHERE deployment_id = {P(18)} AND step_id = {P(19)} AND table_name = {P(20)}",
            new object?[]
            {
                record.Watermark, record.CopyComplete ? 1 : 0, record.StreamPosition, record.RowsCopied, record.RowsEstimated, record.EventsApplied,
                record.ChunkRows, record.Owner, Now(), record.CutoverAttempts, Bound(record.ThrottleReason, 400), record.Artifacts, record.CopyKey,
                record.Shadow, record.Changelog, record.Old, Now(), record.LagMs, record.DeploymentId, record.StepId, record.Table,
            },
            cancellationToken);

    /// <summary>Pauses or resumes every unfinished ghost copy of a deployment (<c>dotnet schema pause|resume</c>); returns how many rows changed.</summary>
    public Task<long> SetPausedAsync(string deploymentId, bool paused, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"UPDATE {table} SET paused = {P(0)}, updated_at = {P(1)} WHERE deployment_id = {P(2)} AND state NOT IN ({P(3)}, {P(4)})",
            new object?[] { paused ? 1 : 0, Now(), deploymentId, GhostCopyState.Done, GhostCopyState.Cancelled }, cancellationToken);

    /// <summary>Whether a deployment's copies are paused (read by the running copy at each checkpoint).</summary>
    public async Task<bool> IsPausedAsync(GhostCopyRecord record, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync($"SELECT paused FROM {table} WHERE deployment_id = {P(0)} AND step_id = {P(1)} AND table_name = {P(2)}",
            new object?[] { record.DeploymentId, record.StepId, record.Table }, cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 && Convert.ToInt32(rows[0][0], CultureInfo.InvariantCulture) != 0;
    }

    /// <summary>Names of every table a ghost copy created or kept (shadow, changelog, old): left out of introspection.</summary>
    public async Task<IReadOnlyList<string>> ArtifactTablesAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var record in await ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            names.Add(record.Shadow);
            names.Add(record.Changelog);
            names.Add(record.Old);
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Marks the old table dropped (<c>complete</c>): the row keeps its history, the artifact list empties.</summary>
    public Task ForgetArtifactsAsync(GhostCopyRecord record, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"UPDATE {table} SET artifacts = {P(0)}, updated_at = {P(1)} WHERE deployment_id = {P(2)} AND step_id = {P(3)} AND table_name = {P(4)}",
            new object?[] { "[]", Now(), record.DeploymentId, record.StepId, record.Table }, cancellationToken);

    /// <summary>
    /// <c>dotnet schema complete</c>: drops the old tables kept by finished ghost copies (of one
    /// deployment, or all) and empties their artifact lists. Returns the tables dropped.
    /// </summary>
    public async Task<IReadOnlyList<string>> CompleteAsync(string? deploymentId, CancellationToken cancellationToken)
    {
        var dropped = new List<string>();
        foreach (var record in await ListAsync(deploymentId, cancellationToken).ConfigureAwait(false))
        {
            if (record.State != GhostCopyState.Done || record.Artifacts is null || record.Artifacts == "[]")
            {
                continue;
            }

            foreach (var name in System.Text.Json.JsonSerializer.Deserialize<string[]>(record.Artifacts) ?? Array.Empty<string>())
            {
                await session.ExecuteAsync("DROP TABLE IF EXISTS " + session.Writer.QuoteIdentifier(name), null, cancellationToken).ConfigureAwait(false);
                dropped.Add(name);
            }

            await ForgetArtifactsAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return dropped;
    }

    private string P(int index) => session.Parameter(index);

    private static string Now() => DateTimeOffset.UtcNow.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static string? Bound(string? text, int length) => text is null || text.Length <= length ? text : text.Substring(0, length);

    private static GhostCopyRecord Read(object?[] r) =>
        new(S(r[0])!, I(r[1]), S(r[2])!, S(r[3])!)
        {
            Shadow = S(r[4]) ?? string.Empty,
            Old = S(r[5]) ?? string.Empty,
            Changelog = S(r[6]) ?? string.Empty,
            CopyKey = S(r[7]),
            Watermark = S(r[8]),
            CopyComplete = I(r[9]) != 0,
            StreamPosition = S(r[10]),
            RowsCopied = L(r[11]),
            RowsEstimated = L(r[12]),
            EventsApplied = L(r[13]),
            ChunkRows = I(r[14]),
            Owner = S(r[15]),
            HeartbeatAt = T(S(r[16])),
            CutoverAttempts = I(r[17]),
            Paused = I(r[18]) != 0,
            ThrottleReason = S(r[19]),
            Artifacts = S(r[20]),
            Error = S(r[21]),
            UpdatedAt = T(S(r[22])),
            Gate = S(r[23]),
            ReadyAt = T(S(r[24])),
            ApprovedBy = S(r[25]),
            ApprovedAt = T(S(r[26])),
            CancelRequestedBy = S(r[27]),
            CancelRequestedAt = T(S(r[28])),
            LagMs = L(r[29]),
        };

    private static string? S(object? value) => value switch
    {
        null => null,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static int I(object? value) => value is null ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static long L(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static DateTimeOffset? T(string? text) =>
        text is not null && DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
