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
/// <item>session A creates a sentry table under each old name (<c>_t_old</c>) and runs
/// <c>LOCK TABLES</c> on every original, shadow, changelog and sentry (WRITE), bounded by
/// <c>lock_wait_timeout</c>;</item>
/// <item>A drains the stream into the shadows on its own session (it holds their locks);</item>
/// <item>session B issues one <c>RENAME TABLE orig TO _orig_old, shadow TO orig, …</c> for every table,
/// which waits for A's locks;</item>
/// <item>A sees B waiting for the metadata lock in the processlist, drops the sentries and unlocks:
/// B's RENAME is served before the writers queued behind the lock.</item>
/// </list>
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

        await using var a = await engine.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await using var b = await engine.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await a.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}", null, cancellationToken).ConfigureAwait(false);
        await b.ExecuteAsync($"SET SESSION lock_wait_timeout = {seconds}", null, cancellationToken).ConfigureAwait(false);
        var sentries = new List<string>();
        var locked = Stopwatch.StartNew();
        Task<long>? rename = null;
        try
        {
            foreach (var table in tables)
            {
                await a.ExecuteAsync($"CREATE TABLE {w.QuoteIdentifier(table.Old)} (id int NOT NULL PRIMARY KEY) COMMENT {w.QuoteLiteral(SentryComment)}", null, cancellationToken).ConfigureAwait(false);
                sentries.Add(table.Old);
            }

            var locks = tables.SelectMany(t => new[] { t.Original, t.Shadow, t.Changelog, t.Old }).Select(n => w.QuoteIdentifier(n) + " WRITE");
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

            var renames = tables.SelectMany(t => new[]
            {
                $"{w.QuoteIdentifier(t.Original)} TO {w.QuoteIdentifier(t.Old)}",
                $"{w.QuoteIdentifier(t.Shadow)} TO {w.QuoteIdentifier(t.Original)}",
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

            return new CutoverResult(true, null, locked.Elapsed);
        }
        finally
        {
            await CleanUpAsync(a, b, sentries, rename).ConfigureAwait(false);
        }
    }

    /// <summary>On every path that did not swap: kill B's pending RENAME first (so it cannot run once the lock goes), then unlock and drop the sentries.</summary>
    private async Task CleanUpAsync(MySqlSession a, MySqlSession b, List<string> sentries, Task<long>? rename)
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
