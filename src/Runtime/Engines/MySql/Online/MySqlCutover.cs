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
/// The two-session cutover that locks both tables (GHOST-COPY.md, measured clean on MariaDB 10.11):
/// <list type="number">
/// <item>session A creates a sentry table under the name the original is parked under
/// (<c>t__old</c>) and runs <c>LOCK TABLES</c> on the original, shadow (<c>t__gho</c>), changelog and
/// sentry (WRITE), bounded by <c>lock_wait_timeout</c>;</item>
/// <item>A drains the stream into the shadow on its own session (it holds its lock), then moves the
/// foreign keys across (<see cref="MySqlForeignKeys"/>: children are locked too and re-pointed at the
/// shadow, the table's own keys move to the shadow);</item>
/// <item>session B issues <c>RENAME TABLE t TO t__old, t__gho TO t</c>, which waits for A's locks;</item>
/// <item>A sees B waiting for the metadata lock in the processlist, drops the sentry and unlocks:
/// B's RENAME is served before the writers queued behind the lock;</item>
/// <item>the parked original is renamed to <c>_t_old</c> (nobody writes to it any more).</item>
/// </list>
/// Why the shadow and the parked name extend the table's name: the server takes a RENAME's
/// metadata locks one by one in name order, and waits at the first one it cannot get. With gh-ost's
/// names (<c>_t_gho</c>, <c>_t_del</c>, which sort before <c>t</c>) the RENAME waits on the shadow or
/// sentry, is not queued on the original at all, and the writers queued on the original run on it
/// in the instant after the unlock: measured here, every queued write was lost that way. With names
/// that sort after <c>t</c>, the RENAME's exclusive lock request on <c>t</c> is queued before the
/// unlock and the server serves it ahead of the writers. For the same reason one RENAME covers one
/// table: its second original would be requested only after the unlock.
/// If A dies before dropping the sentries, its locks go with it and B's RENAME fails (the old names are
/// taken): nothing is renamed. MariaDB refuses RENAME TABLE under LOCK TABLES in the locking session,
/// hence two sessions. Every wait is bounded; on failure every lock is released and the originals keep
/// serving.
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

        var keys = new Dictionary<string, List<MySqlForeignKey>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            keys[table.Original] = await engine.ForeignKeysAsync(table.Original, cancellationToken).ConfigureAwait(false);
        }

        var foreignKeys = new MySqlForeignKeys(w);
        await using var a = await engine.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await using var b = await engine.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await a.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}", null, cancellationToken).ConfigureAwait(false);
        await b.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}", null, cancellationToken).ConfigureAwait(false);
        var parked = tables.Select(t => MySqlOnlineEngine.Names(t.Original).Parked).ToList();
        var sentries = new List<string>();
        var locked = Stopwatch.StartNew();
        Task<long>? rename = null;
        try
        {
            foreach (var sentry in parked)
            {
                await a.ExecuteAsync($"CREATE TABLE {w.QuoteIdentifier(sentry)} (id int NOT NULL PRIMARY KEY) COMMENT {w.QuoteLiteral(SentryComment)}", null, cancellationToken).ConfigureAwait(false);
                sentries.Add(sentry);
            }

            // Children that reference a table are held too: their keys are re-pointed under the lock.
            var held = tables.SelectMany(t => new[] { t.Original, t.Shadow, t.Changelog }).Concat(parked).ToList();
            var children = tables.SelectMany(t => MySqlForeignKeys.Children(t.Original, keys[t.Original])).Distinct(StringComparer.Ordinal).Where(c => !held.Contains(c, StringComparer.Ordinal)).ToList();
            var locks = held.Concat(children).Select(n => w.QuoteIdentifier(n) + " WRITE");
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

            try
            {
                foreach (var table in tables)
                {
                    await foreignKeys.MoveAsync(a, table.Original, table.Shadow, keys[table.Original], cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
            {
                return new CutoverResult(false, $"the foreign keys could not be moved to the new table: {ex.Message}", locked.Elapsed);
            }

            var renames = tables.Zip(parked).SelectMany(p => new[]
            {
                $"{w.QuoteIdentifier(p.First.Original)} TO {w.QuoteIdentifier(p.Second)}",
                $"{w.QuoteIdentifier(p.First.Shadow)} TO {w.QuoteIdentifier(p.First.Original)}",
            });
            rename = b.ExecuteAsync("RENAME TABLE " + string.Join(", ", renames), null, CancellationToken.None);
            var waited = Stopwatch.StartNew();
            while (true)
            {
                if (rename.IsCompleted)
                {
                    // B was not blocked: it failed (the sentry exists) before A let go; nothing was renamed.
                    var error = rename.Exception?.GetBaseException().Message ?? "the RENAME finished while the tables were still locked";
                    return new CutoverResult(false, $"the RENAME did not wait for the lock: {error}", locked.Elapsed);
                }

                var waiting = await a.QueryAsync(
                    "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND STATE LIKE '%metadata lock%'",
                    new object?[] { b.ConnectionId }, cancellationToken).ConfigureAwait(false);
                if (waiting.Count > 0)
                {
                    break;
                }

                if (waited.Elapsed > lockWait)
                {
                    return new CutoverResult(false, $"the RENAME session was not seen waiting for the lock within {seconds}s", locked.Elapsed);
                }

                await Task.Delay(2, cancellationToken).ConfigureAwait(false);
            }

            await a.ExecuteAsync("DROP TABLE " + string.Join(", ", sentries.Select(w.QuoteIdentifier)), null, cancellationToken).ConfigureAwait(false);
            sentries.Clear();
            await a.ExecuteAsync("UNLOCK TABLES", null, cancellationToken).ConfigureAwait(false);
            try
            {
                await rename.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new CutoverResult(false, $"the RENAME failed: {ex.Message}", locked.Elapsed);
            }

            foreignKeys.Keep();
            var lockHeld = locked.Elapsed;
            await a.ExecuteAsync("RENAME TABLE " + string.Join(", ", tables.Zip(parked).Select(p => $"{w.QuoteIdentifier(p.Second)} TO {w.QuoteIdentifier(p.First.Old)}")), null, cancellationToken).ConfigureAwait(false);
            return new CutoverResult(true, null, lockHeld);
        }
        finally
        {
            await CleanUpAsync(a, b, sentries, rename, foreignKeys, tables).ConfigureAwait(false);
        }
    }

    /// <summary>On every path that did not swap: kill B's pending RENAME first (so it cannot run once the lock goes), put moved foreign keys back, then unlock and drop the sentries.</summary>
    private async Task CleanUpAsync(MySqlSession a, MySqlSession b, List<string> sentries, Task<long>? rename, MySqlForeignKeys foreignKeys, IReadOnlyList<GhostCopyTable> tables)
    {
        if (rename is not null && !rename.IsCompleted)
        {
            try
            {
                await a.ExecuteAsync($"KILL QUERY {b.ConnectionId.ToString(CultureInfo.InvariantCulture)}", null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A's session is broken: its locks are gone with it and B's RENAME fails on the sentries.
                _ = ex;
            }

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
            await foreignKeys.UndoAsync(a, original => tables.First(t => t.Original == original).Shadow, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The next deploy puts them back before it touches the shadow (MySqlOnlineEngine.RepairForeignKeysAsync).
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
    }
}
