using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// The PostgreSQL ghost copy: the shadow is the table as the plan step leaves it (the live table's
/// model with the step's changes), written by the PostgreSQL writer with its index names made
/// unique; rows are copied along the primary key (or the replica identity index); changes come
/// from a pgoutput logical replication slot (<see cref="PgLogicalChangeStream"/>); every table of
/// the group swaps in one transaction (<see cref="PgSwap"/>). See docs/ghost-copy-postgres.md.
/// </summary>
internal sealed partial class PostgresOnlineEngine : IOnlineEngine, IAsyncOpen
{
    private readonly PostgresSession session;
    private readonly string connectionString;
    private readonly GhostCopyOptions options;
    private readonly PgSql control;
    private readonly Dictionary<string, PgGhostTable> prepared = new(StringComparer.Ordinal);
    private readonly List<IThrottleProbe> probes = new();
    private readonly Dictionary<QualifiedName, Task> analyses = new();
    private readonly CancellationTokenSource stopping = new();
    private PgSql? worker;
    private PgSql? reader;
    private PgSql? checker;
    private PgSql? checkerTwin;
    private PgSql? prober;
    private PgSlotWal? slotWal;

    private PostgresOnlineEngine(PostgresSession session, string connectionString, GhostCopyOptions options)
    {
        this.session = session;
        this.connectionString = connectionString;
        this.options = options;
        control = new PgSql(session.Connection);
    }

    public IReadOnlyList<IThrottleProbe> ThrottleProbes => probes;

    /// <summary>The open change stream (the cutover drains it and rewinds it after a rollback).</summary>
    internal PgLogicalChangeStream? Stream { get; private set; }

    public static async Task<PostgresOnlineEngine> CreateAsync(PostgresSession session, GhostCopyOptions options, CancellationToken cancellationToken)
    {
        var connectionString = session.SiblingConnectionString ?? throw new GhostCopyRefusedException(
            $"a ghost copy opens more connections and a logical replication stream to {session.DisplayName}, so it needs the connection as a URL or connection string (not an attached DbConnection)");
        var level = await session.QueryAsync("SELECT current_setting('wal_level')", null, cancellationToken).ConfigureAwait(false);
        if ((string)level[0][0]! != "logical")
        {
            throw new GhostCopyRefusedException(
                $"{session.DisplayName} runs with wal_level={level[0][0]}; a ghost copy reads the changes made during the copy through logical replication. "
                + "Set wal_level = logical (and max_replication_slots, max_wal_senders above 0) and restart the server, or apply the step in a maintenance window (plan.sql).");
        }

        return new PostgresOnlineEngine(session, connectionString, options);
    }

    public async Task<GhostCopyDescription> DescribeAsync(GhostCopyRequest request, CancellationToken cancellationToken)
    {
        var target = await TargetAsync(request, cancellationToken).ConfigureAwait(false);
        var names = Names(request.Name);
        var (shadow, _) = PgGhostTable.ShadowDefinition(target, names.Shadow, Token(names.Shadow));
        var key = await PgGhostTable.KeyAsync(control, request.Name, cancellationToken).ConfigureAwait(false);
        if (key.Count == 0)
        {
            throw new GhostCopyRefusedException(PgGhostTable.NoKey(request.Name));
        }

        var estimate = await control.ScalarAsync("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", new object?[] { control.Quote(request.Name) }, cancellationToken).ConfigureAwait(false) as long? ?? 0;
        return new GhostCopyDescription(request.Table, names.Shadow.Name, new[] { control.Writer.WriteTable(shadow) }, key, Math.Max(0, estimate),
            new[] { $"changes captured through a pgoutput logical replication slot; the old table is kept as {names.Old.Name} until `dotnet schema complete`" });
    }

    public async Task<GhostCopyTable> PrepareAsync(GhostCopyRequest request, bool resume, CancellationToken cancellationToken)
    {
        var names = Names(request.Name);
        var target = await TargetAsync(request, cancellationToken).ConfigureAwait(false);
        var (shadow, indexNames) = PgGhostTable.ShadowDefinition(target, names.Shadow, Token(names.Shadow));
        var (keyless, deferredKey) = PgGhostTable.DeferPrimaryKey(shadow, control.Writer);
        var (now, deferred) = PgGhostTable.DeferIndexes(keyless, control.Writer);
        if (await ExistsAsync(names.Old, cancellationToken).ConfigureAwait(false))
        {
            throw new GhostCopyRefusedException(
                $"table {names.Old} exists: the old copy of {request.Name} from an earlier ghost copy is still kept. Run `dotnet schema complete` (it drops kept old tables), or drop it, then deploy again.");
        }

        if (!resume)
        {
            foreach (var name in new[] { names.Shadow, names.Changelog, names.Pending })
            {
                if (await ExistsAsync(name, cancellationToken).ConfigureAwait(false))
                {
                    throw new GhostCopyRefusedException($"table {name} exists and was not created by this deployment; SchemaBuild needs that name for the ghost copy of {request.Name}. Rename or drop it, then deploy again.");
                }
            }

            await control.ExecuteAsync(control.Writer.WriteTable(now), null, cancellationToken).ConfigureAwait(false);
        }

        await control.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS " + control.Quote(names.Changelog) + " (id bigserial PRIMARY KEY, note text, created_at timestamptz NOT NULL DEFAULT clock_timestamp())",
            null, cancellationToken).ConfigureAwait(false);
        var table = await PgGhostTable.LoadAsync(control, request.Name, names.Shadow, target, indexNames, cancellationToken).ConfigureAwait(false);
        table = new PgGhostTable(table.Original, table.Shadow, table.Columns, table.Key, table.IndexNames) { Deferred = deferred, DeferredKey = deferredKey }.With(names.Changelog, names.Old, names.Pending);
        if (deferredKey is not null)
        {
            // Resumed after the key was added (with it the pending keys were applied and dropped): changes go to the shadow again.
            table.KeyBuilt = await PgGhostTable.HasPrimaryKeyAsync(control, names.Shadow, cancellationToken).ConfigureAwait(false);
            if (!table.KeyBuilt)
            {
                await control.ExecuteAsync(new PgKeyRecopySql(table).CreatePending(), null, cancellationToken).ConfigureAwait(false);

                // A publication for all tables (or the schema) covers the shadow too, and a table without a replica
                // identity there refuses every DELETE, even the copier's; the key's build sets it back to DEFAULT.
                await control.ExecuteAsync("ALTER TABLE " + control.Quote(names.Shadow) + " REPLICA IDENTITY FULL", null, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!resume && deferredKey is not null)
        {
            // A duplicate of a new key would otherwise fail the key's build after the whole copy; nothing is copied yet.
            try
            {
                await table.ProbeDuplicateKeyAsync(control, shadow.PrimaryKey!.Parts.Select(p => p.Column!).ToList(), cancellationToken).ConfigureAwait(false);
            }
            catch (GhostCopyRefusedException)
            {
                await control.ExecuteAsync("DROP TABLE IF EXISTS " + string.Join(", ", new[] { names.Shadow, names.Pending, names.Changelog }.Select(control.Quote)), null, cancellationToken).ConfigureAwait(false);
                throw;
            }
        }

        // On a session of its own: the probe may fail, which would abort a transaction of the deploy session.
        var probe = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await using (probe.Connection.ConfigureAwait(false))
        {
            table.HashesRecords = await PgChecksum.HashesRecordsAsync(probe, table, cancellationToken).ConfigureAwait(false);
        }

        prepared[request.Table] = table;
        return new GhostCopyTable(request.Table, names.Shadow.Name, names.Changelog.Name, names.Old.Name, table.Key.Select(k => k.SourceName).ToList(),
            table.Columns.Select(c => new ColumnMapping(c.Name, c.SourceName)).ToList());
    }

    public IChangeStream CreateChangeStream(IReadOnlyList<GhostCopyTable> tables)
    {
        var members = tables.Select(Prepared).ToList();
        var slot = PgGhostNames.Prefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(session.DatabaseName + "\n" + string.Join("\n", members.Select(m => m.Original.ToString()).OrderBy(n => n, StringComparer.Ordinal)))), 0, 6).ToLowerInvariant();
        Stream = new PgLogicalChangeStream(control, connectionString, slot, members);
        return Stream;
    }

    public IRowCopier CreateCopier(GhostCopyTable table)
    {
        var prepared = Prepared(table);
        return new PgRangeCopier(worker ?? throw OpenFirst(), reader ?? throw OpenFirst(), prepared, () => StartAnalyze(prepared)) { SlotWal = slotWal };
    }

    public IChangeApplier CreateApplier(GhostCopyTable table) => new PgPendingKeyApplier(worker ?? throw OpenFirst(), Prepared(table));

    public IChecksum CreateChecksum(GhostCopyTable table) => new PgRangeChecksum(checker ?? throw OpenFirst(), checkerTwin ?? throw OpenFirst(), Prepared(table));

    public ICutover CreateCutover() => new PgSwap(this);

    /// <summary>Opens the sessions the copier and applier, the copier's reads, the checksum (two: its snapshot is read on both) and the throttle probes use (the deploy session keeps the control tables and the stream's markers).</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        worker ??= await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        reader ??= await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        checker ??= await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        checkerTwin ??= await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        if (prober is null)
        {
            prober = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
            slotWal = new PgSlotWal(prober, () => Stream?.Slot, options.MaxSlotWalBytes);
            probes.Add(PgThrottleProbes.SlotWal(slotWal));
            probes.Add(PgThrottleProbes.ReplicaLag(prober, options.MaxLag));
        }
    }

    /// <summary>
    /// The copy is complete: the shadow is ANALYZEd on a session of its own while the stream catches
    /// up and the checksum runs (the new table needs statistics before it serves queries, and the
    /// catch-up mostly waits for the server to decode), not in front of the cutover.
    /// </summary>
    private void StartAnalyze(PgGhostTable table)
    {
        if (!analyses.ContainsKey(table.Shadow))
        {
            analyses[table.Shadow] = Task.Run(() => AnalyzeAsync(table.Shadow, stopping.Token), CancellationToken.None);
        }
    }

    /// <summary>Returns once the shadows of <paramref name="tables"/> are ANALYZEd (started at the end of their copy, or now: a resumed copy, a revert).</summary>
    internal async Task AnalyzedAsync(IEnumerable<PgGhostTable> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            if (!analyses.TryGetValue(table.Shadow, out var analysis))
            {
                analyses[table.Shadow] = analysis = AnalyzeAsync(table.Shadow, cancellationToken);
            }

            await analysis.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AnalyzeAsync(QualifiedName shadow, CancellationToken cancellationToken)
    {
        var sql = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await using (sql.Connection.ConfigureAwait(false))
        {
            await sql.ExecuteAsync("ANALYZE " + sql.Quote(shadow), null, cancellationToken).ConfigureAwait(false);
        }
    }

    internal Task<PgSql> OpenSessionAsync(CancellationToken cancellationToken) => PgSql.OpenAsync(connectionString, cancellationToken);

    internal PgGhostTable Prepared(GhostCopyTable table) =>
        prepared.TryGetValue(table.Original, out var found) ? found : throw new InvalidOperationException($"{table.Original} was not prepared");

    public Task<bool> ExistsAsync(string table, CancellationToken cancellationToken) => session.TableExistsAsync(table, cancellationToken);

    public async Task DropAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            // A changelog belongs to a slot's publication: the slot goes first, so it stops retaining WAL.
            foreach (var row in await control.QueryAsync(
                "SELECT pubname::text FROM pg_publication_tables WHERE tablename = $1 AND schemaname = current_schema() AND pubname LIKE 'sb\\_ghost\\_%'",
                new object?[] { table }, cancellationToken).ConfigureAwait(false))
            {
                var slot = (string)row[0]!;
                if (Stream?.Slot == slot)
                {
                    await Stream.DisposeAsync().ConfigureAwait(false);
                }

                await PgLogicalChangeStream.DropSlotAsync(control, slot, cancellationToken).ConfigureAwait(false);
            }

            await control.ExecuteAsync("DROP TABLE IF EXISTS " + control.Quote(table), null, cancellationToken).ConfigureAwait(false);
            if (table.EndsWith(ShadowSuffix, StringComparison.Ordinal))
            {
                // A copy stopped before the shadow's primary key was built left its pending keys.
                await control.ExecuteAsync("DROP TABLE IF EXISTS " + control.Quote(table[..^ShadowSuffix.Length] + PendingSuffix), null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A slot still open here belongs to a copy that stopped (failure, cancellation): it is dropped
    /// so it retains no WAL, and the next deploy copies again. A killed process never gets here, and
    /// its slot lets the next deploy resume.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var analysis in analyses.Values)
        {
            try
            {
                await analysis.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or Npgsql.NpgsqlException)
            {
                // Only statistics: the copy stopped, or the cutover already waited for them.
            }
        }

        stopping.Dispose();
        if (Stream is not null)
        {
            await Stream.DisposeAsync().ConfigureAwait(false);
            try
            {
                await PgLogicalChangeStream.DropSlotAsync(control, Stream.Slot, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Npgsql.NpgsqlException)
            {
                // The deploy session is gone: `dotnet schema cancel` or the next deploy removes the slot.
            }
        }

        foreach (var sql in new[] { worker, reader, checker, checkerTwin, prober })
        {
            if (sql is not null)
            {
                await sql.Connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The table as the step leaves it: the live table's model with the step's changes applied.</summary>
    private async Task<Table> TargetAsync(GhostCopyRequest request, CancellationToken cancellationToken)
    {
        if (request.Changes.Count == 0)
        {
            throw new GhostCopyRefusedException($"the plan step for {request.Name} carries no typed changes to build the shadow from; compile the plan again with this version of SchemaBuild.");
        }

        var model = await session.CreateIntrospector(Array.Empty<string>()).IntrospectAsync(cancellationToken).ConfigureAwait(false);
        foreach (var change in request.Changes)
        {
            model = ChangeApplier.Apply(model, change);
        }

        var target = model.FindTable(request.Name) ?? throw new GhostCopyRefusedException($"{request.Name} is not in the live schema; it must exist before its ghost copy runs.");
        if (target.Partitioning is not null || target.PartitionOf is not null || target.Inherits.Count > 0)
        {
            throw new GhostCopyRefusedException($"{request.Name} is partitioned or takes part in inheritance; a ghost copy of it is not supported. Apply this change in a maintenance window (plan.sql).");
        }

        return target;
    }

    private Task<bool> ExistsAsync(QualifiedName table, CancellationToken cancellationToken) =>
        control.ScalarAsync("SELECT to_regclass($1) IS NOT NULL", new object?[] { control.Quote(table) }, cancellationToken).ContinueWith(t => t.Result is true, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private const string ShadowSuffix = "_gho";

    private const string PendingSuffix = "_ghk";

    /// <summary>
    /// Shadow, changelog, old table and pending keys of a table: <c>_t_gho</c>, <c>_t_ghc</c>, <c>_t_old</c>, <c>_t_ghk</c>, in its
    /// schema (shortened with a hash past 63 bytes; the suffix is always kept, so a shadow's name gives its pending keys' name).
    /// </summary>
    internal static (QualifiedName Shadow, QualifiedName Changelog, QualifiedName Old, QualifiedName Pending) Names(QualifiedName table)
    {
        QualifiedName Name(string suffix)
        {
            var name = "_" + table.Name + suffix;
            if (Encoding.UTF8.GetByteCount(name) > 63)
            {
                var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(table.Name)), 0, 4).ToLowerInvariant();
                name = PgGhostNames.Truncate("_" + table.Name[..Math.Min(table.Name.Length, 40)] + "_" + hash + suffix);
            }

            return table with { Name = name };
        }

        return (Name(ShadowSuffix), Name("_ghc"), Name("_old"), Name(PendingSuffix));
    }

    private static string Token(QualifiedName shadow) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(shadow.ToString())), 0, 4).ToLowerInvariant();

    private static InvalidOperationException OpenFirst() => new("OpenAsync first");
}
