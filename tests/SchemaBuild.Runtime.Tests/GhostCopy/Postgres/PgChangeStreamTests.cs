using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Engines.Postgres.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// The PostgreSQL change stream on the real server: markers of several tables' changelogs in one
/// drain, and the slot's confirmed position on an idle stream while the server is busy elsewhere.
/// </summary>
public sealed class PgChangeStreamTests
{
    private readonly ITestOutputHelper output;

    public PgChangeStreamTests(ITestOutputHelper output) => this.output = output;

    /// <summary>
    /// Both changelogs number their markers from 1. A's marker (id 1), then a transaction on A larger
    /// than the batch, then the drain of B (its marker is id 1 too): the first batch ends with A's
    /// marker and before B's, so a drain that matched ids alone would stop there.
    /// </summary>
    [Fact]
    public async Task A_drain_waits_for_its_own_marker_when_another_changelog_delivers_the_same_id()
    {
        await using var fixture = await StreamFixture.CreateAsync("pg_marker_ids", "CREATE TABLE other (id bigint PRIMARY KEY);");
        var (a, b) = (fixture.Members[0], fixture.Members[1]);
        Assert.Equal(1L, await fixture.Stream.WriteMarkerAsync(a, null, CancellationToken.None));
        await fixture.Database.RunAsync("UPDATE a SET n = n + 1;");

        var seen = new List<Marker>();
        var batches = 0;
        await MarkerDrain.RunAsync(
            fixture.Stream, new[] { b }, 1,
            batch =>
            {
                batches++;
                seen.AddRange(batch.Markers);
                return Task.CompletedTask;
            },
            null, TimeSpan.FromMinutes(1), "test stream", "retry", CancellationToken.None);

        Assert.Contains(new Marker(a.Changelog, 1), seen);
        Assert.Contains(new Marker(b.Changelog, 1), seen);
        Assert.True(batches > 1, $"the drain read {batches} batch(es): the batch bound did not split A's marker from B's, so the test proves nothing");
    }

    /// <summary>
    /// Nothing is written to the copied tables while another table takes about 100 MB of WAL: the
    /// idle stream still confirms about the server's position, so the slot releases that WAL.
    /// </summary>
    [Fact]
    public async Task An_idle_stream_on_a_busy_server_keeps_the_slot_confirmed_and_its_retained_wal_bounded()
    {
        await using var fixture = await StreamFixture.CreateAsync("pg_idle_slot", "CREATE TABLE busy (id bigserial PRIMARY KEY, pad text NOT NULL);");
        var start = await fixture.LsnAsync("pg_current_wal_lsn()");
        long written = 0, retained = 0, lowest = long.MaxValue;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            await fixture.Database.RunAsync("INSERT INTO busy (pad) SELECT repeat('x', 900) FROM generate_series(1, 8000); DELETE FROM busy;");
            for (var i = 0; i < 5; i++)
            {
                var batch = await fixture.Stream.ReadAsync(1000, TimeSpan.FromMilliseconds(200), CancellationToken.None);
                Assert.Empty(batch.Keys);
            }

            var now = await fixture.LsnAsync("pg_current_wal_lsn()");
            written = now - start;
            retained = now - await fixture.LsnAsync($"(SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = '{fixture.Slot}')");
            lowest = Math.Min(lowest, retained);
            if (written > 100L << 20 && retained < written / 4)
            {
                break;
            }
        }

        var confirmedBehind = await fixture.LsnAsync("pg_current_wal_lsn()") - await fixture.LsnAsync($"(SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '{fixture.Slot}')");
        output.WriteLine($"{written >> 20} MB of WAL written in {watch.Elapsed.TotalSeconds:0} s; the slot retains {retained >> 20} MB (lowest {lowest >> 20} MB), confirmed {confirmedBehind >> 10} kB behind the server");
        Assert.True(written > 100L << 20, $"only {written >> 20} MB of WAL written");
        Assert.True(retained < written / 4, $"the slot retains {retained >> 20} MB of the {written >> 20} MB written: the idle stream did not move its confirmed position");
    }

    /// <summary>Tables a and b (in the stream, with changelogs) plus the test's own; a pgoutput slot started over a and b.</summary>
    private sealed class StreamFixture : IAsyncDisposable
    {
        private StreamFixture(TestDatabase database, PgSql sql, PgLogicalChangeStream stream, string slot, IReadOnlyList<GhostCopyTable> members)
        {
            Database = database;
            Sql = sql;
            Stream = stream;
            Slot = slot;
            Members = members;
        }

        public TestDatabase Database { get; }

        public PgSql Sql { get; }

        public PgLogicalChangeStream Stream { get; }

        public string Slot { get; }

        public IReadOnlyList<GhostCopyTable> Members { get; }

        public static async Task<StreamFixture> CreateAsync(string label, string extra)
        {
            var database = await TestDatabase.CreateAsync(DialectKind.Postgres, label);
            var tables = new List<PgGhostTable>();
            var members = new List<GhostCopyTable>();
            foreach (var name in new[] { "a", "b" })
            {
                await database.RunAsync(
                    $"CREATE TABLE {name} (id bigint PRIMARY KEY, n integer NOT NULL); INSERT INTO {name} SELECT g, g FROM generate_series(1, 10) g;"
                    + $"CREATE TABLE _{name}_ghc (id bigserial PRIMARY KEY, note text, created_at timestamptz NOT NULL DEFAULT clock_timestamp());");
                var id = new PgGhostColumn("id", "id", "bigint", "bigint");
                tables.Add(new PgGhostTable(new QualifiedName("public", name), new QualifiedName("public", "_" + name + "_gho"), new[] { id, new PgGhostColumn("n", "n", "integer", "integer") }, new[] { id }, new Dictionary<string, string>())
                    .With(new QualifiedName("public", "_" + name + "_ghc"), new QualifiedName("public", "_" + name + "_old")));
                members.Add(new GhostCopyTable(name, "_" + name + "_gho", "_" + name + "_ghc", "_" + name + "_old", new[] { "id" }, Array.Empty<ColumnMapping>()));
            }

            await database.RunAsync(extra);
            var connectionString = PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(2));
            var sql = await PgSql.OpenAsync(connectionString, CancellationToken.None);
            var slot = "sb_ghost_" + database.Name;
            var stream = new PgLogicalChangeStream(sql, connectionString, slot, tables);
            var fixture = new StreamFixture(database, sql, stream, slot, members);
            await stream.StartAsync(await stream.CurrentPositionAsync(CancellationToken.None), CancellationToken.None);
            return fixture;
        }

        public async Task<long> LsnAsync(string expression) =>
            (long)(await Sql.ScalarAsync($"SELECT pg_wal_lsn_diff({expression}, '0/0')::bigint", null, CancellationToken.None))!;

        public async ValueTask DisposeAsync()
        {
            await Stream.DisposeAsync();
            await PgLogicalChangeStream.DropSlotAsync(Sql, Slot, CancellationToken.None);
            await Sql.Connection.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
