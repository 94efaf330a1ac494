using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// The cutover that locks every table of the deployment's ghost copies at once and swaps them
/// together (GHOST-COPY.md; the load test is clean on MariaDB 10.11):
/// <list type="number">
/// <item>session A creates a sentry table under each name an original is parked under
/// (<c>t__old</c>) and runs one <c>LOCK TABLES</c> on every original, shadow (<c>t__gho</c>),
/// changelog, sentry and child table (WRITE), bounded by <c>lock_wait_timeout</c>;</item>
/// <item>A drains the stream into the shadows on its own session (it holds their locks), then carries the
/// AUTO_INCREMENT counters and the foreign keys across (<see cref="MySqlForeignKeys"/>: children are
/// re-pointed at the shadows, the tables' own keys move to them);</item>
/// <item>one rename session per table issues <c>RENAME TABLE t TO t__old, t__gho TO t</c>; each waits
/// for A's locks on its own table;</item>
/// <item>A sees every rename session waiting for the metadata lock in the processlist, drops the
/// sentries and unlocks: each RENAME is served before the writers queued on its table;</item>
/// <item>the parked originals are renamed to <c>_t_old</c> (nobody writes to them any more).</item>
/// </list>
/// Why the shadow and the parked name extend the table's name: the server takes a RENAME's metadata
/// locks one by one in name order, and waits at the first one it cannot get. With gh-ost's names
/// (<c>_t_gho</c>, <c>_t_del</c>, which sort before <c>t</c>) the RENAME waits on the shadow or sentry,
/// is not queued on the original at all, and the writers queued on the original run on it in the
/// instant after the unlock: measured here, every queued write was lost that way. With names that sort
/// after <c>t</c>, the RENAME's exclusive lock request on <c>t</c> is queued before the unlock and the
/// server serves it ahead of the writers. For the same reason one RENAME statement cannot swap two
/// tables: it would ask for the second original only after the unlock, behind that table's writers.
/// So each table has its own RENAME, queued on its own original, all released by the one UNLOCK: no
/// statement after the unlock sees an old table.
/// If A dies before dropping the sentries, its locks go with it and every RENAME fails (the parked names
/// are taken): nothing is renamed. MariaDB refuses RENAME TABLE under LOCK TABLES in the locking session,
/// hence separate sessions. Every wait is bounded; on failure every lock is released and the originals
/// keep serving.
/// </summary>
internal sealed class MySqlCutover : ICutover
{
    /// <summary>The comment that marks a sentry table (so a leftover one is recognised and dropped).</summary>
    internal const string SentryComment = "schemabuild cutover sentry";

    private readonly MySqlOnlineEngine engine;

    public MySqlCutover(MySqlOnlineEngine engine) => this.engine = engine;

    public async Task<CutoverResult> SwapAsync(IReadOnlyList<GhostCopyTable> tables, TimeSpan lockWait, Func<object, CancellationToken, Task> drain, CutoverHooks? hooks, CancellationToken cancellationToken)
    {
        var w = engine.Writer;
        var seconds = Math.Max(1, (int)Math.Ceiling(lockWait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (hooks?.BeforeCutover is { } before)
        {
            await before(cancellationToken).ConfigureAwait(false);
        }

        var shadowOf = tables.ToDictionary(t => t.Original, t => t.Shadow, StringComparer.Ordinal);
        var keys = new List<MySqlForeignKey>();
        foreach (var table in tables)
        {
            keys.AddRange(await engine.ForeignKeysAsync(table.Original, cancellationToken).ConfigureAwait(false));
        }

        var foreignKeys = new MySqlForeignKeys(w);
        var sessions = new List<MySqlSession>();
        var renames = new List<Task<long>>();
        var sentries = new List<string>();
        var locked = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i <= tables.Count; i++)
            {
                var session = await engine.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
                sessions.Add(session);
                await session.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}", null, cancellationToken).ConfigureAwait(false);
            }

            var a = sessions[0];
            var parked = tables.Select(t => MySqlOnlineEngine.Names(t.Original).Parked).ToList();
            foreach (var sentry in parked)
            {
                await a.ExecuteAsync($"CREATE TABLE {w.QuoteIdentifier(sentry)} (id int NOT NULL PRIMARY KEY) COMMENT {w.QuoteLiteral(SentryComment)}", null, cancellationToken).ConfigureAwait(false);
                sentries.Add(sentry);
            }

            // Children that reference a table are held too: their keys are re-pointed under the lock.
            var held = tables.SelectMany(t => new[] { t.Original, t.Shadow, t.Changelog }).Concat(parked).ToList();
            var locks = held.Concat(MySqlForeignKeys.Children(shadowOf, keys).Where(c => !held.Contains(c, StringComparer.Ordinal))).Select(n => w.QuoteIdentifier(n) + " WRITE");
            try
            {
                await a.ExecuteAsync("LOCK TABLES " + string.Join(", ", locks), null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (a.IsLockWaitTimeout(ex))
            {
                return new CutoverResult(false, $"could not lock the tables within {seconds}s (long transactions or heavy traffic hold them): {ex.Message}", TimeSpan.Zero);
            }

            locked.Restart();
            if (hooks?.InCutoverLock is { } inLock)
            {
                await inLock(cancellationToken).ConfigureAwait(false);
            }

            using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                bounded.CancelAfter(lockWait);
                try
                {
                    await drain(a, bounded.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return new CutoverResult(false, $"the final catch-up did not finish within {seconds}s under the lock", locked.Elapsed);
                }
            }

            await CarryAutoIncrementAsync(a, tables, cancellationToken).ConfigureAwait(false);
            try
            {
                await foreignKeys.MoveAsync(a, shadowOf, keys, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
            {
                return new CutoverResult(false, $"the foreign keys could not be moved to the new tables: {ex.Message}", locked.Elapsed);
            }

            for (var i = 0; i < tables.Count; i++)
            {
                renames.Add(sessions[i + 1].ExecuteAsync($"RENAME TABLE {w.QuoteIdentifier(tables[i].Original)} TO {w.QuoteIdentifier(parked[i])}, {w.QuoteIdentifier(tables[i].Shadow)} TO {w.QuoteIdentifier(tables[i].Original)}", null, CancellationToken.None));
            }

            var ids = sessions.Skip(1).Select(s => (object?)s.ConnectionId).ToList();
            var waited = Stopwatch.StartNew();
            while (true)
            {
                if (renames.FirstOrDefault(r => r.IsCompleted) is { } early)
                {
                    // A rename was not blocked: it failed (the sentry exists) before A let go; nothing was renamed.
                    var error = early.Exception?.GetBaseException().Message ?? "the RENAME finished while the tables were still locked";
                    return new CutoverResult(false, $"a RENAME did not wait for the lock: {error}", locked.Elapsed);
                }

                var waiting = await a.QueryAsync(
                    $"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID IN ({string.Join(", ", ids.Select(_ => "?"))}) AND STATE LIKE '%metadata lock%'",
                    ids, cancellationToken).ConfigureAwait(false);
                if (Convert.ToInt32(waiting[0][0], CultureInfo.InvariantCulture) == ids.Count)
                {
                    break;
                }

                if (waited.Elapsed > lockWait)
                {
                    return new CutoverResult(false, $"the RENAME sessions were not all seen waiting for the lock within {seconds}s", locked.Elapsed);
                }

                await Task.Delay(2, cancellationToken).ConfigureAwait(false);
            }

            await a.ExecuteAsync("DROP TABLE " + string.Join(", ", sentries.Select(w.QuoteIdentifier)), null, cancellationToken).ConfigureAwait(false);
            sentries.Clear();
            await a.ExecuteAsync("UNLOCK TABLES", null, cancellationToken).ConfigureAwait(false);
            var failed = new List<string>();
            for (var i = 0; i < tables.Count; i++)
            {
                try
                {
                    await renames[i].ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed.Add($"{tables[i].Original}: {ex.Message}");
                }
            }

            var lockHeld = locked.Elapsed;
            if (failed.Count == tables.Count)
            {
                return new CutoverResult(false, $"the RENAME failed: {string.Join("; ", failed)}", lockHeld);
            }

            foreignKeys.Keep();
            var swapped = tables.Zip(parked).Where(p => renames[tables.ToList().IndexOf(p.First)].IsCompletedSuccessfully).ToList();
            await a.ExecuteAsync("RENAME TABLE " + string.Join(", ", swapped.Select(p => $"{w.QuoteIdentifier(p.Second)} TO {w.QuoteIdentifier(p.First.Old)}")), null, cancellationToken).ConfigureAwait(false);
            if (failed.Count > 0)
            {
                // Not expected once every RENAME waited with the sentries gone; said plainly rather than retried blindly.
                throw new InvalidOperationException(
                    $"the cutover swapped {string.Join(", ", swapped.Select(p => p.First.Original))} but not {string.Join("; ", failed)}. "
                    + "The tables not swapped keep serving from their originals; deploy again to finish them (the swapped ones are recognised as done).");
            }

            return new CutoverResult(true, null, lockHeld);
        }
        finally
        {
            await CleanUpAsync(sessions, sentries, renames, foreignKeys).ConfigureAwait(false);
        }
    }
    /// <summary>
    /// Under the lock, after the drain: the shadow's AUTO_INCREMENT counter is raised to the original's, so
    /// an id the original handed out and lost again (a deleted last row, a rolled-back insert) is not
    /// handed out again by the new table. Usually the counters agree (the copied ids raised it) and no
    /// ALTER runs.
    /// </summary>
    private async Task CarryAutoIncrementAsync(MySqlSession a, IReadOnlyList<GhostCopyTable> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            var counters = await a.QueryAsync(
                "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?) AND AUTO_INCREMENT IS NOT NULL",
                new object?[] { table.Original, table.Shadow }, cancellationToken).ConfigureAwait(false);
            long? Counter(string name) => counters.Where(r => string.Equals(Convert.ToString(r[0], CultureInfo.InvariantCulture), name, StringComparison.Ordinal))
                .Select(r => (long?)Convert.ToInt64(r[1], CultureInfo.InvariantCulture)).FirstOrDefault();
            if (Counter(table.Original) is { } original && Counter(table.Shadow) is { } shadow && original > shadow)
            {
                await a.ExecuteAsync($"ALTER TABLE {engine.Writer.QuoteIdentifier(table.Shadow)} AUTO_INCREMENT = {original.ToString(CultureInfo.InvariantCulture)}", null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>On every path that did not swap: kill the pending RENAMEs first (so they cannot run once the lock goes), put moved foreign keys back, then unlock and drop the sentries.</summary>
    private async Task CleanUpAsync(List<MySqlSession> sessions, List<string> sentries, List<Task<long>> renames, MySqlForeignKeys foreignKeys)
    {
        if (sessions.Count == 0)
        {
            return;
        }

        var a = sessions[0];
        for (var i = 0; i < renames.Count; i++)
        {
            if (renames[i].IsCompleted)
            {
                continue;
            }

            try
            {
                await a.ExecuteAsync($"KILL QUERY {sessions[i + 1].ConnectionId.ToString(CultureInfo.InvariantCulture)}", null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A's session is broken: its locks are gone with it and the RENAMEs fail on the sentries.
                _ = ex;
            }
        }

        foreach (var rename in renames)
        {
            try
            {
                await rename.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _ = ex;
            }
        }

        try
        {
            await foreignKeys.UndoAsync(a, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The next deploy puts them back before it touches the shadows (MySqlOnlineEngine.RepairForeignKeysAsync).
            _ = ex;
        }

        try
        {
            await a.ExecuteAsync("UNLOCK TABLES", null, CancellationToken.None).ConfigureAwait(false);
            if (sentries.Count > 0)
            {
                await a.ExecuteAsync("DROP TABLE IF EXISTS " + string.Join(", ", sentries.Select(engine.Writer.QuoteIdentifier)), null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The engine drops leftover sentries (recognised by their comment) before the next attempt.
            _ = ex;
        }

        foreach (var session in sessions)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
