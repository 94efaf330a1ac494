using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// Copies the original into the shadow along the copy key, one key range per call. A chunk is piped
/// with <c>COPY (SELECT …) TO STDOUT</c> from the original into <c>COPY … FROM STDIN</c> of the
/// shadow: COPY writes a page of rows per WAL record where <c>INSERT … SELECT</c> writes one per row,
/// and the replication slot's walsender, which reads every record of the copy while it decodes,
/// keeps up about twice as well. COPY cannot skip rows already there, so the range's rows are
/// deleted from the shadow first, in the same transaction: the applier wrote them (it applies keys
/// the copy has not reached yet) or a chunk committed after the last checkpoint of a killed copy did,
/// and the copy's read is as new or newer; changes committed after it come through the stream.
/// Keys travel as the server's text form of each value.
/// </summary>
internal sealed class PgRangeCopier : IRowCopier
{
    private readonly PgSql sql;
    private readonly PgSql reader;
    private readonly PgGhostTable table;
    private readonly Action completed;
    private bool clearedAbove;
    private int cancelledBuilds;

    /// <param name="sql">Writes the shadow (the applier's session).</param>
    /// <param name="reader">Reads the original while <paramref name="sql"/> writes.</param>
    /// <param name="completed">Called when the last range is copied.</param>
    public PgRangeCopier(PgSql sql, PgSql reader, PgGhostTable table, Action completed)
    {
        this.sql = sql;
        this.reader = reader;
        this.table = table;
        this.completed = completed;
    }

    /// <summary>The copy slot's retained WAL against --max-slot-wal, guarding the primary key's build; null: unguarded.</summary>
    public PgSlotWal? SlotWal { get; init; }

    public async Task<long> EstimateRowsAsync(CancellationToken cancellationToken) =>
        Math.Max(0L, Convert.ToInt64(await sql.ScalarAsync("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", new object?[] { sql.Quote(table.Original) }, cancellationToken).ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture));

    public async Task<CopiedChunk?> CopyNextAsync(RowKey? after, int rows, CancellationToken cancellationToken)
    {
        var range = await RangeAsync(sql, table, after, rows, cancellationToken).ConfigureAwait(false);
        if (range is null)
        {
            if (!await BuildKeyAsync(after is not null, cancellationToken).ConfigureAwait(false))
            {
                // Not now: the copy loop applies the changes (the slot confirms, which releases WAL), waits while the slot's
                // retained WAL is above half the bound, and asks again.
                return new CopiedChunk(after!, 0);
            }

            await BuildDeferredIndexesAsync(cancellationToken).ConfigureAwait(false);
            completed();
            return null;
        }

        long copied = 0;
        await sql.InTransactionAsync(
            async ct =>
            {
                // Without the primary key a delete scans the whole shadow: only the first chunk of this process deletes,
                // everything above it (a killed copy's chunk committed after its checkpoint); the applier writes nothing
                // to the shadow before the key is built.
                if (table.KeyBuilt || !clearedAbove)
                {
                    var parameters = new List<object?>();
                    var clear = table.KeyBuilt ? range : range with { UpTo = null };
                    await sql.ExecuteAsync("DELETE FROM " + sql.Quote(table.Shadow) + " WHERE " + clear.Where(sql, table, onShadow: true, parameters), parameters, ct).ConfigureAwait(false);
                }

                copied = await PipeAsync(range, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        clearedAbove = true;
        return new CopiedChunk(new RowKey(range.UpTo!), copied);
    }

    /// <summary>
    /// The bulk copy is done: the shadow's primary key is added, and the keys changed meanwhile (recorded while
    /// it was missing) are copied again and dropped, in one transaction, so a resumed copy finds either no key
    /// and its pending keys, or the key and nothing pending. Changes wait meanwhile (this is the applier's session),
    /// so the slot confirms nothing and retains the WAL written during the build (<see cref="SlotWal"/>): the build
    /// starts only with at most half of --max-slot-wal retained (above the bound the copy stops as always), and a
    /// build that takes the slot past three quarters of it is cancelled (rolled back: the copy is kept) so the applier
    /// catches up; the quarter left covers the backlog the first check after a build finds. False when it did not
    /// build now (the copy loop applies, waits and asks again); a third cancelled build stops the copy.
    /// </summary>
    private async Task<bool> BuildKeyAsync(bool guarded, CancellationToken cancellationToken)
    {
        if (table.KeyBuilt || table.DeferredKey is not { } key)
        {
            return true;
        }

        if (cancelledBuilds > 0 && await PgGhostTable.HasPrimaryKeyAsync(sql, table.Shadow, cancellationToken).ConfigureAwait(false))
        {
            // The cancel came as the build committed: it is there.
            table.KeyBuilt = true;
            return true;
        }

        var wal = guarded ? SlotWal : null;
        if (wal is not null && await wal.RetainedAsync(cancellationToken).ConfigureAwait(false) is { } before)
        {
            if (before > wal.Max)
            {
                throw wal.Exceeded(before);
            }

            if (before > wal.Max / 2)
            {
                return false;
            }
        }

        using var build = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = wal is null ? Task.FromResult<long?>(null) : WatchAsync(wal, build);
        try
        {
            await sql.InTransactionAsync(
                async ct =>
                {
                    var identity = "ALTER TABLE " + sql.Quote(table.Shadow) + " REPLICA IDENTITY DEFAULT";
                    foreach (var statement in key.Statements.Append(identity).Concat(new PgKeyRecopySql(table).ApplyPending()))
                    {
                        await sql.ExecuteAsync(statement, null, ct).ConfigureAwait(false);
                    }
                },
                build.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (await watch.ConfigureAwait(false) is not { } retained)
            {
                throw;
            }

            if (++cancelledBuilds >= 3)
            {
                throw wal!.Exceeded(retained, $": building the shadow's primary key took it past three quarters of the bound {cancelledBuilds} times (changes wait while the key is built)");
            }

            return false;
        }
        finally
        {
            await build.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }

        table.KeyBuilt = true;
        return true;
    }

    /// <summary>Checks the slot's retained WAL every second while the key is built; past three quarters of the bound cancels the build and returns it.</summary>
    private static async Task<long?> WatchAsync(PgSlotWal wal, CancellationTokenSource build)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), build.Token).ConfigureAwait(false);
                if (await wal.RetainedAsync(build.Token).ConfigureAwait(false) is { } retained && retained > wal.Max / 4 * 3)
                {
                    await build.CancelAsync().ConfigureAwait(false);
                    return retained;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null; // the build ended first
        }
    }

    /// <summary>
    /// The secondary indexes left out of the shadow for the bulk copy, built now over the filled table, each in
    /// a transaction of its own. The applier's changes wait meanwhile (this is its session); one built before a
    /// killed process stopped is there on resume and skipped.
    /// </summary>
    private async Task BuildDeferredIndexesAsync(CancellationToken cancellationToken)
    {
        foreach (var index in table.Deferred)
        {
            if (await sql.ScalarAsync("SELECT to_regclass($1) IS NULL", new object?[] { sql.Quote(index.Name) }, cancellationToken).ConfigureAwait(false) is true)
            {
                await sql.InTransactionAsync(
                    async ct =>
                    {
                        foreach (var statement in index.Statements)
                        {
                            await sql.ExecuteAsync(statement, null, ct).ConfigureAwait(false);
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>COPY of one range from the original (through the column mapping) into the shadow; the text format ends every row with a newline, so counting them counts the rows.</summary>
    private async Task<long> PipeAsync(PgKeyRange range, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(c => sql.Quote(c.Name)));
        var select = "SELECT " + string.Join(", ", table.Columns.Select(PgCopyExpressions.FromSource)) + " FROM " + sql.Quote(table.Original) + " WHERE " + range.Where(sql, table, onShadow: false, parameters: null);
        using var export = await reader.Connection.BeginTextExportAsync("COPY (" + select + ") TO STDOUT", cancellationToken).ConfigureAwait(false);
        var import = await sql.Connection.BeginTextImportAsync("COPY " + sql.Quote(table.Shadow) + " (" + columns + ") FROM STDIN", cancellationToken).ConfigureAwait(false);
        long rows = 0;
        try
        {
            var buffer = new char[64 * 1024];
            int read;
            while ((read = await export.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                rows += buffer.AsSpan(0, read).Count('\n');
                await import.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // Nothing of a broken chunk is committed (its transaction rolls back): the copy goes on from the watermark.
            await import.CancelAsync().ConfigureAwait(false);
            await import.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await import.DisposeAsync().ConfigureAwait(false);
        return rows;
    }

    public async Task<long> RecopyAsync(RowKey? after, RowKey upTo, CancellationToken cancellationToken)
    {
        var range = new PgKeyRange(Strings(after), Strings(upTo));
        long copied = 0;
        await sql.InTransactionAsync(
            async _ =>
            {
                var parameters = new List<object?>();
                await sql.ExecuteAsync("DELETE FROM " + sql.Quote(table.Shadow) + " WHERE " + range.Where(sql, table, onShadow: true, parameters), parameters, cancellationToken).ConfigureAwait(false);
                copied = await InsertAsync(sql, table, range, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return copied;
    }

    /// <summary>The range of the next <paramref name="rows"/> keys after <paramref name="after"/>, closed at its last key; null when no key is left.</summary>
    public static async Task<PgKeyRange?> RangeAsync(PgSql sql, PgGhostTable table, RowKey? after, int rows, CancellationToken cancellationToken)
    {
        var start = Strings(after);
        var range = await PgKeyRange.NextAsync(sql, table, start, rows, cancellationToken).ConfigureAwait(false);
        if (range.UpTo is not null)
        {
            return range;
        }

        // Fewer rows than asked are left: the range ends at the last key.
        var parameters = new List<object?>();
        var last = await sql.QueryAsync(
            "SELECT " + PgKeyRange.KeyText(sql, table) + " FROM " + sql.Quote(table.Original)
            + " WHERE " + range.Where(sql, table, onShadow: false, parameters) + " ORDER BY " + PgKeyRange.KeyOrder(sql, table, " DESC") + " LIMIT 1",
            parameters, cancellationToken).ConfigureAwait(false);
        return last.Count == 0 ? null : range with { UpTo = last[0].Select(v => (string)v!).ToArray() };
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

    public static string[]? Strings(RowKey? key) => key?.Values.Select(Text).ToArray();

    public static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
}
