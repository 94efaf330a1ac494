using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Engines.Postgres.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// The shadow is filled without its secondary indexes, which are built once over the filled table when
/// the copy ends, and without its primary key, added then too (keys changed meanwhile wait in a pending table);
/// unique indexes are there from the start, and an index built
/// before a killed process stopped is not built again.
/// </summary>
public sealed class PgDeferredIndexTests
{
    private const string Baseline = """
        CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL, code text NOT NULL, note text);
        CREATE INDEX items_n ON items (n);
        CREATE INDEX items_note_lower ON items (lower(note)) WHERE note IS NOT NULL;
        CREATE UNIQUE INDEX items_code ON items (code);
        COMMENT ON INDEX items_n IS 'by n';
        """;

    [Fact]
    public async Task Secondary_indexes_are_built_when_the_copy_ends_and_unique_ones_are_there_from_the_start()
    {
        await using var prepared = await PrepareAsync("pg_defer_idx", "INSERT INTO items SELECT g, g % 7, 'c' || g, CASE WHEN g % 2 = 0 THEN 'Note ' || g END FROM generate_series(1, 50) g;");
        var (database, engine, table, shadow) = (prepared.Database, prepared.Engine, prepared.Table, prepared.Prepared.Shadow);
        await using var connection = await OpenAsync(database);
        async Task<string> Indexes() => (string)(await PgGhostCopyTests.ScalarAsync(connection,
            $"SELECT string_agg(d, ' | ' ORDER BY d) FROM (SELECT regexp_replace(pg_get_indexdef(indexrelid), '_sbg_[0-9a-f]+_[0-9]+', 'x', 'g') AS d FROM pg_index WHERE indrelid = '{shadow}'::regclass) i"))!;

        Assert.Equal(2, engine.Prepared(table).Deferred.Count);
        Assert.Equal("CREATE UNIQUE INDEX x ON public._items_gho USING btree (code)", await Indexes());

        var copier = engine.CreateCopier(table);
        var chunk = await copier.CopyNextAsync(null, 100, CancellationToken.None);
        Assert.Equal(50L, chunk!.Rows);
        Assert.DoesNotContain("(n)", await Indexes(), StringComparison.Ordinal);

        // Without its primary key the shadow takes no change: changed keys wait in the pending table.
        var pending = engine.Prepared(table).Pending;
        await database.RunAsync("UPDATE items SET n = 700 WHERE id = 5; DELETE FROM items WHERE id = 6;");
        await engine.CreateApplier(table).ApplyAsync(new[] { new RowKey(new object?[] { 5 }), new RowKey(new object?[] { 6 }) }, null, CancellationToken.None);
        Assert.Equal(2L, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT count(*) FROM {pending}"));
        Assert.Equal(50L, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT count(*) FROM {shadow} WHERE id = 6 OR n <> 700"));

        // The copy ends: the primary key is added and the pending keys applied and dropped; the secondary indexes are built, their comments with them.
        Assert.Null(await copier.CopyNextAsync(chunk.Last, 100, CancellationToken.None));
        Assert.Equal(
            "CREATE INDEX x ON public._items_gho USING btree (lower(note)) WHERE (note IS NOT NULL) | CREATE INDEX x ON public._items_gho USING btree (n) | CREATE UNIQUE INDEX x ON public._items_gho USING btree (code) | CREATE UNIQUE INDEX x ON public._items_gho USING btree (id)",
            await Indexes());
        Assert.Equal(1L, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT count(*) FROM pg_constraint WHERE conrelid = '{shadow}'::regclass AND contype = 'p'"));
        Assert.Equal(true, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT to_regclass('{pending}') IS NULL"));
        Assert.Equal("49 700 0", await PgGhostCopyTests.ScalarAsync(connection, $"SELECT count(*) || ' ' || sum(n) FILTER (WHERE id = 5) || ' ' || count(*) FILTER (WHERE id = 6) FROM {shadow}"));
        Assert.True(engine.Prepared(table).KeyBuilt);
        Assert.Equal(1L, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT count(*) FROM pg_index i WHERE i.indrelid = '{shadow}'::regclass AND obj_description(i.indexrelid, 'pg_class') = 'by n'"));

        // Ended again (a resumed copy): nothing is built twice.
        Assert.Null(await engine.CreateCopier(table).CopyNextAsync(chunk.Last, 100, CancellationToken.None));
        Assert.Equal(4L, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT count(*) FROM pg_index WHERE indrelid = '{shadow}'::regclass"));
    }

    /// <summary>A copy dropped before its primary key was built (cancel, failure, start over) takes its pending keys with the shadow.</summary>
    [Fact]
    public async Task Dropping_the_shadow_before_its_key_is_built_drops_the_pending_keys()
    {
        await using var prepared = await PrepareAsync("pg_defer_drop", "INSERT INTO items SELECT g, g, 'c' || g, NULL FROM generate_series(1, 10) g;");
        var (engine, table, shadow) = (prepared.Engine, prepared.Table, prepared.Prepared.Shadow);
        await using var connection = await OpenAsync(prepared.Database);
        var pending = engine.Prepared(table).Pending;
        Assert.False(engine.Prepared(table).KeyBuilt);
        Assert.Equal(false, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT to_regclass('{pending}') IS NULL"));

        await engine.DropAsync(new[] { table.Shadow }, CancellationToken.None);
        Assert.Equal(true, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT to_regclass('{shadow}') IS NULL AND to_regclass('{pending}') IS NULL"));
    }

    /// <summary>
    /// The key's build holds the applier, so the slot retains the WAL written meanwhile: it does not start with the
    /// slot past --max-slot-wal (the copy stops with the guard's message, the shadow still without its key).
    /// </summary>
    [Fact]
    public async Task The_key_is_not_built_while_the_slot_retains_more_wal_than_the_bound()
    {
        await using var prepared = await PrepareAsync("pg_defer_wal", "INSERT INTO items SELECT g, g, 'c' || g, NULL FROM generate_series(1, 10) g;", GhostCopyOptions.Default with { MaxSlotWalBytes = 1 });
        var (engine, table, shadow) = (prepared.Engine, prepared.Table, prepared.Prepared.Shadow);
        await using var stream = engine.CreateChangeStream(new[] { table });
        await stream.CurrentPositionAsync(CancellationToken.None); // creates the slot
        await prepared.Database.RunAsync("UPDATE items SET n = n + 1;"); // WAL past the slot's start
        var copier = engine.CreateCopier(table);
        var chunk = await copier.CopyNextAsync(null, 100, CancellationToken.None);
        Assert.Equal(10L, chunk!.Rows);

        var stopped = await Assert.ThrowsAsync<InvalidOperationException>(() => copier.CopyNextAsync(chunk.Last, 100, CancellationToken.None));
        Assert.Contains("more than --max-slot-wal (0 MB); the copy stopped and drops its slot", stopped.Message, StringComparison.Ordinal);
        Assert.False(engine.Prepared(table).KeyBuilt);
        await using var connection = await OpenAsync(prepared.Database);
        Assert.Equal(0L, await PgGhostCopyTests.ScalarAsync(connection, $"SELECT count(*) FROM pg_constraint WHERE conrelid = '{shadow}'::regclass AND contype = 'p'"));
    }

    /// <summary>The baseline with <c>n</c> changed to bigint, prepared up to its shadow.</summary>
    private static Task<PreparedPgCopy> PrepareAsync(string label, string setup, GhostCopyOptions? options = null) =>
        PreparedPgCopy.CreateAsync(label, Baseline, Baseline.Replace("n integer NOT NULL", "n bigint NOT NULL", StringComparison.Ordinal), setup, options);

    private static async Task<NpgsqlConnection> OpenAsync(TestDatabase database)
    {
        var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        return connection;
    }
}
