using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.Postgres;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// The command line around a ghost copy's replication slot: <c>status</c> lists it with its retained
/// WAL and owner (or "orphaned"), <c>cancel --slot</c> drops an orphan and refuses an owned one, and
/// <c>--max-slot-wal</c> stops a copy whose slot retains more, dropping the slot.
/// </summary>
public sealed class PgSlotCommandLineTests
{
    private const string Baseline = "CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  n integer NOT NULL\n);\n";

    private readonly ITestOutputHelper output;

    public PgSlotCommandLineTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task Status_shows_an_orphaned_slot_with_its_retained_wal_and_cancel_drops_it()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pg_orphan_slot");
        var slot = "sb_ghost_" + database.Name;
        await database.RunAsync(Baseline + $"CREATE PUBLICATION {slot} FOR TABLE events; SELECT pg_create_logical_replication_slot('{slot}', 'pgoutput');");
        await database.RunAsync("INSERT INTO events SELECT g, g FROM generate_series(1, 20000) g;");

        var status = SchemaTool.Run("status", "--connection", database.UrlText);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Matches($@"replication slot {slot} \(inactive\): retains [0-9.]+ (kB|MB) of WAL; orphaned .*'dotnet schema cancel --slot {slot}'", status.Output);
        Assert.DoesNotContain(TestDatabase.Password(DialectKind.Postgres), status.All, StringComparison.Ordinal);

        var json = SchemaTool.Run("status", "--connection", database.UrlText, "--format", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var listed = Assert.Single(JsonDocument.Parse(json.Output).RootElement.GetProperty("replicationSlots").EnumerateArray());
        Assert.Equal(slot, listed.GetProperty("name").GetString());
        Assert.True(listed.GetProperty("orphaned").GetBoolean());
        Assert.True(listed.GetProperty("retainedBytes").GetInt64() > 1L << 20, json.Output);

        var missing = SchemaTool.Run("cancel", "--connection", database.UrlText, "--slot", "sb_ghost_nosuch");
        Assert.True(missing.ExitCode == 4, missing.ToString());
        Assert.Contains($"it has {slot}", missing.Error, StringComparison.Ordinal);

        var neither = SchemaTool.Run("cancel", "--connection", database.UrlText);
        Assert.True(neither.ExitCode == 2, neither.ToString());

        var cancel = SchemaTool.Run("cancel", "--connection", database.UrlText, "--slot", slot);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains($"replication slot {slot} and its publication dropped", cancel.Output, StringComparison.Ordinal);
        await PgGhostDeployTests.AssertNoSlotAsync(database);
        Assert.DoesNotContain("replication slot", SchemaTool.Run("status", "--connection", database.UrlText).Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The copy is held by a lock on its shadow (status names the deployment as the slot's owner
    /// meanwhile). Held, the stream confirms nothing, so the slot keeps its restart position while
    /// 80 MB of WAL are written; released, the throttle check before the next chunk finds the slot past
    /// the 51 MB bound and stops the copy. The lock assigns no transaction id, so other slots being
    /// created on the shared server (they wait for every running transaction that has one) are not held up.
    /// </summary>
    [Fact]
    public async Task Max_slot_wal_stops_the_copy_drops_its_slot_and_says_what_to_do()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pg_max_slot_wal");
        const string tables = Baseline + "CREATE TABLE ballast (id bigint PRIMARY KEY, pad text NOT NULL);\n";
        await database.RunAsync(tables + "INSERT INTO events SELECT g, g % 1000 FROM generate_series(1, 200000) g;");
        const string Rows = "SELECT md5(string_agg(id::text || ':' || n::text, ',' ORDER BY id)) FROM events";
        var planFile = Path.Combine(Path.GetTempPath(), $"sb-pg-slot-wal-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, PlanJson.Write(Plans.Between(DialectKind.Postgres, tables, tables.Replace("n integer", "n bigint", StringComparison.Ordinal))));
        var connectionString = PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(2));
        await using var probe = new NpgsqlConnection(connectionString);
        await probe.OpenAsync();
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        var original = (string)(await PgGhostCopyTests.ScalarAsync(probe, Rows))!;
        try
        {
            using var deploy = Gate.DeployProcess.Start(new[] { "deploy", "--plan", planFile, "--connection", database.UrlText, "--max-slot-wal", "0.05", "--max-chunk-rows", "500", "--revert-window", "0", "--max-lag", "100000" });

            // Copying: the slot exists. A lock on the shadow holds the next chunk.
            var deadline = Stopwatch.StartNew();
            string? shadow = null;
            while (shadow is null && deadline.Elapsed < TimeSpan.FromMinutes(2) && !deploy.HasExited)
            {
                shadow = await PgGhostDeployTests.ShadowAsync(probe);
                await Task.Delay(10);
            }

            Assert.True(shadow is not null, "the copy never started: " + deploy.Log);
            await using var hold = await holder.BeginTransactionAsync();
            await using (var block = new NpgsqlCommand("LOCK TABLE " + shadow + " IN SHARE MODE", holder, hold))
            {
                await block.ExecuteNonQueryAsync();
            }

            var copied = (long)(await PgGhostCopyTests.ScalarAsync(probe, "SELECT count(*) FROM " + shadow))!;
            Assert.True(copied < 200_000, "the copy finished before the test could hold it");

            var status = SchemaTool.Run("status", "--connection", database.UrlText);
            var id = (string?)await PgGhostCopyTests.ScalarAsync(probe, "SELECT deployment_id FROM " + Quote(State.StateTableNames.Default.GhostCopies) + " LIMIT 1");
            Assert.Matches($@"replication slot sb_ghost_\w+ \(active\): retains [0-9.]+ (kB|MB) of WAL; deployment {id}", status.Output);
            var slot = (string)(await PgGhostCopyTests.ScalarAsync(probe, "SELECT slot_name::text FROM pg_replication_slots WHERE database = current_database()"))!;
            var owned = SchemaTool.Run("cancel", "--connection", database.UrlText, "--slot", slot);
            Assert.True(owned.ExitCode == 4 && owned.Error.Contains($"dotnet schema cancel --deployment {id}", StringComparison.Ordinal), owned.ToString());

            // 80 MB of WAL while nothing is confirmed: the next throttle check finds the slot past the bound.
            await database.RunAsync("INSERT INTO ballast SELECT g, repeat('x', 1000) FROM generate_series(1, 80000) g;");
            await hold.RollbackAsync();
            var (exit, _) = await deploy.WaitForExitAsync(TimeSpan.FromMinutes(3));
            output.WriteLine($"held after {copied} rows\n{deploy.Log}");
            Assert.True(exit == 4, $"exit {exit}:\n{deploy.Log}");
            Assert.Contains("more than --max-slot-wal", deploy.Log, StringComparison.Ordinal);
            Assert.Contains("the copy stopped and drops its slot", deploy.Log, StringComparison.Ordinal);
            Assert.Contains("raise --max-slot-wal", deploy.Log, StringComparison.Ordinal);
            Assert.DoesNotContain(TestDatabase.Password(DialectKind.Postgres), deploy.Log, StringComparison.Ordinal);
            await PgGhostDeployTests.AssertNoSlotAsync(database);
            Assert.Equal("integer", await PgGhostCopyTests.ScalarAsync(probe, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'n'"));
            Assert.Equal(200000L, await PgGhostCopyTests.ScalarAsync(probe, "SELECT count(*) FROM events"));
            Assert.Contains("The next deploy starts this copy over from the first row", deploy.Log, StringComparison.Ordinal);

            // The next deploy resumes the deployment, finds the slot gone, says so, copies again from the first row and cuts over.
            var again = SchemaTool.Run("deploy", "--plan", planFile, "--connection", database.UrlText, "--revert-window", "0", "--max-lag", "100000");
            output.WriteLine(again.ToString());
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("restarts from the beginning for", again.All, StringComparison.Ordinal);
            Assert.Equal("bigint", await PgGhostCopyTests.ScalarAsync(probe, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'n'"));
            Assert.Equal(original, await PgGhostCopyTests.ScalarAsync(probe, Rows));
            await PgGhostDeployTests.AssertNoSlotAsync(database);
        }
        finally
        {
            File.Delete(planFile);
        }
    }

    private static string Quote(string identifier) => Core.Dialects.SqlDialects.For(DialectKind.Postgres).Writer.QuoteIdentifier(identifier);
}
