using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// Copies a chunk with one server-side <c>INSERT IGNORE … SELECT</c> along the copy key: rows already in
/// the shadow (copied by an earlier run, or by the applier) stay as they are. Any warning other than a
/// duplicate key (a value the new type cannot hold, a NULL into NOT NULL) fails the copy: the server
/// would otherwise store a silently changed value. The session reads READ COMMITTED (set by the engine),
/// so the <c>SELECT</c> is a consistent read that locks none of the original's rows: an application write
/// never waits for a chunk. (Read with <c>LOCK IN SHARE MODE</c>, a write to a row of the chunk being
/// copied waited for the whole chunk: that was most of the writers' p99 during the copy.)
/// </summary>
internal sealed class MySqlRowCopier : IRowCopier, ISnapshotRowCopier, ITimedRole
{
    private readonly MySqlSession session;
    private readonly MySqlCopyTable table;
    private readonly MySqlChunkEnds ends;

    /// <summary>Keys per locking read that waits for writers: a bounded statement however many keys are due.</summary>
    private const int WaitBatchKeys = 1000;

    /// <summary>Keys above the watermark whose changes were skipped, until a chunk reaches them.</summary>
    private readonly HashSet<RowKey> skipped = new();

    public MySqlRowCopier(MySqlSession session, MySqlCopyTable table)
    {
        this.session = session;
        this.table = table;
        ends = new MySqlChunkEnds(table);
    }

    /// <summary>The warnings of the last copy statement that had any (read by the driver only when there are some).</summary>
    private readonly List<MySqlConnector.MySqlError> warnings = new();

    /// <summary>How many warnings the server keeps per statement (<c>max_error_count</c>), read once.</summary>
    private long? warningsKept;

    public SectionClock Sections { get; } = new();

    public async Task<long> EstimateRowsAsync(CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", new object?[] { table.Table.Original }, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 || rows[0][0] is null ? 0 : Convert.ToInt64(rows[0][0], CultureInfo.InvariantCulture);
    }

    public async Task<CopiedChunk?> CopyNextAsync(RowKey? after, int rows, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var last = await ends.NextAsync(session, after, rows, cancellationToken).ConfigureAwait(false);
        Sections.Add("chunk end", started);
        if (last is null)
        {
            // The bulk copy is done: the indexes left out are built now, by sorting (a resume finds them missing and adds them).
            await new MySqlDeferredIndexes(session).AddAsync(table.Table.Shadow, table.DeferredIndexes, cancellationToken).ConfigureAwait(false);
            table.DeferredIndexes = Array.Empty<string>();
            return null;
        }

        started = Stopwatch.GetTimestamp();
        await AwaitWritersAsync(last, cancellationToken).ConfigureAwait(false);
        Sections.Add("skipped-key waits", started);
        started = Stopwatch.GetTimestamp();
        var parameters = new List<object?>();
        var where = KeySql.Above(table.KeyOriginal, after, parameters) + " AND " + KeySql.AtMost(table.KeyOriginal, last, parameters);
        var insert = $"INSERT IGNORE INTO {table.Shadow} ({table.ShadowColumns}) SELECT {table.SourceColumns} FROM {table.Original} WHERE {where}";
        var copied = await WithWarningsAsync(ct => session.ExecuteAsync(insert, parameters, ct), cancellationToken).ConfigureAwait(false);
        Sections.Add("insert-select", started);
        warningsKept ??= Convert.ToInt64((await session.QueryAsync("SELECT @@SESSION.max_error_count", null, cancellationToken).ConfigureAwait(false))[0][0], CultureInfo.InvariantCulture);
        if (warnings.Count >= warningsKept)
        {
            // The server kept only the first max_error_count warnings (duplicates of rows already in the shadow, after a
            // resume): one past them could have been a changed value. The range is emptied and copied again in one
            // transaction, so no duplicate can hide a data warning.
            await WithWarningsAsync(
                async ct =>
                {
                    await session.InTransactionAsync(
                        async tx =>
                        {
                            await DeleteShadowRangeAsync(after, last, tx).ConfigureAwait(false);
                            copied = await session.ExecuteAsync(insert, parameters, tx).ConfigureAwait(false);
                        },
                        ct).ConfigureAwait(false);
                    return copied;
                },
                cancellationToken).ConfigureAwait(false);
        }

        ThrowOnDataWarnings();
        return new CopiedChunk(last, copied);
    }

    /// <summary>
    /// Runs one copy statement with its warnings collected. The handler is attached only meanwhile: while one is, the
    /// driver reads the warnings of every statement on the connection, which other roles share.
    /// </summary>
    private async Task<T> WithWarningsAsync<T>(Func<CancellationToken, Task<T>> statement, CancellationToken cancellationToken)
    {
        warnings.Clear();
        MySqlConnector.MySqlInfoMessageEventHandler collect = (_, e) => warnings.AddRange(e.Errors);
        session.Warnings += collect;
        try
        {
            return await statement(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            session.Warnings -= collect;
        }
    }

    /// <summary>
    /// Skipped keys held before their writers are waited for at once (a long throttle pause on a hot table would
    /// otherwise collect millions). Waiting early is as good as waiting at the chunk: the change was in the binlog
    /// before the wait began, so its transaction has committed when the wait ends, before any later chunk's snapshot.
    /// </summary>
    internal int MaxSkippedKeys { get; set; } = 50_000;

    /// <summary>Skipped keys held now (for tests).</summary>
    internal int SkippedCount => skipped.Count;

    public async Task SkippedAsync(IReadOnlyCollection<RowKey> keys, CancellationToken cancellationToken)
    {
        skipped.UnionWith(keys);
        if (skipped.Count > MaxSkippedKeys)
        {
            await AwaitWritersAsync(skipped.ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before a chunk ending at <paramref name="last"/>: a locking read of the skipped keys it holds waits for a
    /// transaction already in the binlog but not yet committed in InnoDB. It ends at once (autocommit), so
    /// those rows are locked for an instant; a chunk holding no skipped key costs no statement.
    /// </summary>
    private Task AwaitWritersAsync(RowKey last, CancellationToken cancellationToken) =>
        // Keys are only skipped when they order as integers; any other is waited for at once.
        AwaitWritersAsync(skipped.Where(k => RowKey.CompareIntegers(k, last) is not > 0).ToList(), cancellationToken);

    /// <summary>Waits for the writers of <paramref name="due"/>, <see cref="WaitBatchKeys"/> keys per statement, and forgets each batch once waited for.</summary>
    private async Task AwaitWritersAsync(List<RowKey> due, CancellationToken cancellationToken)
    {
        foreach (var batch in due.Chunk(WaitBatchKeys))
        {
            var parameters = new List<object?>();
            await session.QueryAsync(
                $"SELECT COUNT(*) FROM {table.Original} WHERE {KeySql.In(table.KeyOriginal, batch, parameters)} LOCK IN SHARE MODE", parameters, cancellationToken).ConfigureAwait(false);
            skipped.ExceptWith(batch);
        }
    }

    public async Task<long> RecopyAsync(RowKey? after, RowKey upTo, CancellationToken cancellationToken)
    {
        long written = 0;
        await session.InTransactionAsync(
            async ct =>
            {
                written += await DeleteShadowRangeAsync(after, upTo, ct).ConfigureAwait(false);
                var parameters = new List<object?>();
                var source = KeySql.Above(table.KeyOriginal, after, parameters) + " AND " + KeySql.AtMost(table.KeyOriginal, upTo, parameters);
                written += await session.ExecuteAsync($"INSERT INTO {table.Shadow} ({table.ShadowColumns}) SELECT {table.SourceColumns} FROM {table.Original} WHERE {source} LOCK IN SHARE MODE", parameters, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>Empties the shadow's rows after <paramref name="after"/> up to <paramref name="upTo"/>, before the range is copied again.</summary>
    private Task<long> DeleteShadowRangeAsync(RowKey? after, RowKey upTo, CancellationToken cancellationToken)
    {
        var parameters = new List<object?>();
        var range = KeySql.Above(table.KeyShadow, after, parameters) + " AND " + KeySql.AtMost(table.KeyShadow, upTo, parameters);
        return session.ExecuteAsync($"DELETE FROM {table.Shadow} WHERE {range}", parameters, cancellationToken);
    }

    /// <summary>
    /// Warnings other than duplicate keys (1062) mean a value was changed to fit the new definition: refused with the server's
    /// words. All of the statement's warnings are read; when they fill the server's max_error_count the range is copied
    /// again without duplicates, so a data warning is found after any number of them (rows an earlier run had copied).
    /// </summary>
    private void ThrowOnDataWarnings()
    {
        var data = warnings.Where(w => w.ErrorCode != MySqlConnector.MySqlErrorCode.DuplicateKeyEntry).Select(w => w.Message).ToList();
        if (data.Count > 0)
        {
            throw new GhostCopyRefusedException(
                $"copying {table.Table.Original} into its new definition would change data: {string.Join("; ", data.Take(3))}. "
                + "Fix those rows (or the target definition) so every value fits, then deploy again: the copy resumes.");
        }
    }
}
