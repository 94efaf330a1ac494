using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// The PostgreSQL <see cref="ICutover"/>. Before writers are blocked: the shadows' ANALYZE is done, the
/// catalog is read and the swap built (<see cref="PgCutover"/>), and the stream is drained into the
/// shadows up to now. Then one transaction under lock_timeout locks every original (ACCESS
/// EXCLUSIVE), drains the few changes committed since on that same session, checks that the catalog rows the
/// swap was built from are unchanged (one fingerprint query; the swap is built again under the lock
/// when they changed), swaps and commits. Writers queued behind the lock resolve the name again after the commit and land on the
/// new table. On a timeout everything rolls back, including what the drain applied, so the stream
/// rewinds to its confirmed position. Child foreign keys are validated after the commit.
/// </summary>
internal sealed class PgSwap : ICutover
{
    private readonly PostgresOnlineEngine engine;
    private bool analyzed;

    public PgSwap(PostgresOnlineEngine engine) => this.engine = engine;

    public async Task<CutoverResult> SwapAsync(IReadOnlyList<GhostCopyTable> tables, TimeSpan lockWait, Func<object, CancellationToken, Task> drain, CutoverHooks? hooks, CancellationToken cancellationToken)
    {
        var members = tables.Select(engine.Prepared).ToList();
        var stream = engine.Stream ?? throw new InvalidOperationException("the change stream is not open");
        if (hooks?.BeforeCutover is { } before)
        {
            await before(cancellationToken).ConfigureAwait(false);
        }

        var sql = await engine.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = sql.Connection.ConfigureAwait(false);

        // Parts of the attempt: first what runs while writers still write ("unlocked …"), then the writers' wait from the lock request to the commit.
        var parts = new List<(string, TimeSpan)>();
        var part = Stopwatch.StartNew();
        void Part(string name)
        {
            parts.Add((name, part.Elapsed));
            part.Restart();
        }

        if (!analyzed)
        {
            // The new table serves queries right after the swap: the planner needs its statistics first (usually taken during the catch-up already).
            await engine.AnalyzedAsync(members, cancellationToken).ConfigureAwait(false);
            analyzed = true;
            Part("unlocked analyze");
        }

        var cutover = new PgCutover(stream.Slot);
        var scope = await PgCutover.CatalogScopeAsync(sql, members, cancellationToken).ConfigureAwait(false);
        var fingerprint = await PgCutover.FingerprintAsync(sql, scope, cancellationToken).ConfigureAwait(false);
        var swap = await cutover.PrepareAsync(sql, members, cancellationToken).ConfigureAwait(false);
        Part("unlocked catalog");

        // Changes committed up to now go into the shadows while writers still run: the drain under the lock is left with the last moments' changes.
        var held = new Stopwatch();
        try
        {
            await MarkerDrain.UntilQuickAsync(
                async ct =>
                {
                    stream.Hold();
                    await sql.InTransactionAsync(t => drain(sql, t), ct).ConfigureAwait(false);
                    await stream.ReleaseAsync(committed: true, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            Part("unlocked drain");
            await sql.InTransactionAsync(
                async _ =>
                {
                    await sql.ExecuteAsync("SELECT set_config('lock_timeout', $1, true)", new object?[] { Math.Max(1, (long)lockWait.TotalMilliseconds) + "ms" }, cancellationToken).ConfigureAwait(false);

                    // Writers queue behind the lock request as soon as it is made: the stall runs from here to the commit.
                    part.Restart();
                    held.Start();
                    await sql.ExecuteAsync("LOCK TABLE " + string.Join(", ", members.Select(t => sql.Quote(t.Original))) + " IN ACCESS EXCLUSIVE MODE", null, cancellationToken).ConfigureAwait(false);
                    Part("lock");
                    if (hooks?.InCutoverLock is { } inLock)
                    {
                        await inLock(cancellationToken).ConfigureAwait(false);
                    }

                    stream.Hold();
                    await drain(sql, cancellationToken).ConfigureAwait(false);
                    Part("drain");
                    if (await PgCutover.FingerprintAsync(sql, scope, cancellationToken).ConfigureAwait(false) != fingerprint)
                    {
                        // DDL between the reads and the lock (a new view, grant, policy…): read again, now under the lock.
                        swap = await cutover.PrepareAsync(sql, members, cancellationToken).ConfigureAwait(false);
                    }

                    Part("check");
                    await sql.ExecuteAsync(swap.Swap, null, cancellationToken).ConfigureAwait(false);
                    Part("swap");
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PostgresException { SqlState: "55P03" or "40P01" or "57014" } or TimeoutException)
        {
            await stream.ReleaseAsync(committed: false, cancellationToken).ConfigureAwait(false);
            return new CutoverResult(false, ex is PostgresException p ? p.MessageText : ex.Message, held.Elapsed, parts);
        }
        catch (PostgresException ex) when (ex.SqlState == "2BP01")
        {
            await stream.ReleaseAsync(committed: false, cancellationToken).ConfigureAwait(false);
            throw new GhostCopyRefusedException(
                $"the cutover cannot move {string.Join(", ", members.Select(t => t.Original))}: {ex.MessageText} ({ex.Detail}). Drop that dependent before this deployment and create it again after; nothing was changed.");
        }
        catch
        {
            await stream.ReleaseAsync(committed: false, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        held.Stop();
        Part("commit");
        await stream.ReleaseAsync(committed: true, cancellationToken).ConfigureAwait(false);
        foreach (var statement in swap.After)
        {
            await sql.ExecuteAsync(statement, null, cancellationToken).ConfigureAwait(false);
        }

        return new CutoverResult(true, null, held.Elapsed, parts);
    }
}
