using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Engines.Postgres.Ghost;

/// <summary>
/// Copies the original into the shadow in key-range chunks, server-side
/// (<c>INSERT … SELECT … ON CONFLICT DO NOTHING</c>), each chunk in one transaction with its
/// checkpoint, so the watermark never claims rows the shadow does not durably hold. Chunks are
/// sized to a target time. Rows the stream already wrote are left alone: the stream's version is
/// as new or newer, and any later change arrives through the stream after this chunk.
/// </summary>
internal sealed class PgRowCopier
{
    private readonly PgGhostLog log;
    private readonly TimeSpan target;
    private int rows = 2_000;

    public PgRowCopier(PgGhostLog log, TimeSpan target)
    {
        this.log = log;
        this.target = target;
    }

    /// <summary>Copies the chunk after <paramref name="after"/> (null: from the start); returns the new watermark, rows copied, and whether the table is done.</summary>
    public async Task<(string[]? UpTo, long Copied, bool Done)> CopyChunkAsync(PgSql sql, PgGhostTable table, string[]? after, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var range = await PgKeyRange.NextAsync(sql, table, after, rows, cancellationToken).ConfigureAwait(false);
        var copied = await CopyRangeAsync(sql, table, range, cancellationToken).ConfigureAwait(false);
        var upTo = range.UpTo;
        Resize(watch.Elapsed);
        return (upTo, copied, upTo is null);
    }

    /// <summary>Copies one key range and records it as the watermark, in one transaction.</summary>
    public async Task<long> CopyRangeAsync(PgSql sql, PgGhostTable table, PgKeyRange range, CancellationToken cancellationToken)
    {
        long copied = 0;
        async Task Copy()
        {
            copied = await InsertAsync(sql, table, range, cancellationToken).ConfigureAwait(false);
            await log.CheckpointAsync(sql, table, range.UpTo, done: range.UpTo is null, copied, cancellationToken).ConfigureAwait(false);
        }

        await sql.InTransactionAsync(Copy, cancellationToken).ConfigureAwait(false);
        return copied;
    }

    /// <summary>INSERT … SELECT of one range, leaving rows already in the shadow alone.</summary>
    public static Task<long> InsertAsync(PgSql sql, PgGhostTable table, PgKeyRange range, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        return sql.ExecuteAsync(
            "INSERT INTO " + sql.Quote(table.Shadow) + " (" + string.Join(", ", table.Columns.Select(c => sql.Quote(c.Name))) + ") OVERRIDING SYSTEM VALUE SELECT "
            + string.Join(", ", table.Columns.Select(PgCopyExpressions.FromSource)) + " FROM " + sql.Quote(table.Original) + " WHERE " + range.Where(sql, table, onShadow: false, parameters)
            + " ON CONFLICT DO NOTHING",
            parameters, cancellationToken);
    }

    /// <summary>The next chunk's rows from the last one's time, moving at most 2x either way.</summary>
    private void Resize(TimeSpan took)
    {
        var ratio = target.TotalMilliseconds / Math.Max(1, took.TotalMilliseconds);
        rows = (int)Math.Clamp(rows * Math.Clamp(ratio, 0.5, 2.0), 200, 500_000);
    }
}
