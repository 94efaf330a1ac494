using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Engines.Postgres;
using Xunit;
using Xunit.Abstractions;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// Ghost copies through <c>deploy</c> on the real server: under a mixed write load, killed
/// (SIGKILL of the CLI process) during the copy and during catch-up then deployed again, and a
/// failure that must leave no slot, publication or shadow behind.
/// </summary>
public sealed class PgGhostDeployTests
{
    private const string Baseline = "CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  n integer NOT NULL\n);\n";

    private const string Desired = "CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  n bigint NOT NULL\n);\n";

    private readonly ITestOutputHelper output;

    public PgGhostDeployTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task Deploy_under_a_400_writes_per_second_load_on_200k_rows_loses_no_write()
    {
        await using var database = await SeededAsync("pg_ghost_load", 200_000);
        var (load, stop, writing) = StartLoad(database, 200_000);
        await Task.Delay(1000);
        var watch = Stopwatch.StartNew();
        var notes = new System.Collections.Generic.List<string>();
        await using (var session = await database.OpenAsync())
        {
            var result = await new Deployer().DeployAsync(Plans.Between(Core.Model.DialectKind.Postgres, Baseline, Desired), session, DeployOptions.Default with { Progress = new RecordingProgress(notes) }, CancellationToken.None);
            Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        }

        foreach (var line in notes.Where(n => n.StartsWith("ghost copy", StringComparison.Ordinal) || n.StartsWith("cutover", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        var took = watch.Elapsed;
        await Task.Delay(1000);
        stop.Cancel();
        await writing;
        output.WriteLine($"deploy {took.TotalSeconds:0.0} s; {load.Writes} writes ({load.Writes / (took.TotalSeconds + 2):0}/s), p50 {load.Percentile(0.5):0.0} ms, p99 {load.Percentile(0.99):0.0} ms, longest write stall {load.LongestWrite.TotalMilliseconds:0} ms");
        Assert.Empty(load.Failures);

        // The checksum read one snapshot taken with the shadow drained: under the load no chunk differed, so no
        // compare ran with writers blocked (those are the locked compares of the retry policy).
        Assert.Contains(notes, n => n.Contains("the checksum reads one snapshot", StringComparison.Ordinal));
        Assert.Contains(notes, n => System.Text.RegularExpressions.Regex.IsMatch(n, "checksum compared [1-9][0-9]* chunks; 0 differed at first"));
        await AssertEqualsModelAsync(database, load);
        await AssertNothingLeftAsync(database);
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("catch-up")]
    public async Task Deploy_killed_during_the_copy_or_catch_up_resumes_with_nothing_lost_or_duplicated(string phase)
    {
        await using var database = await SeededAsync("pg_ghost_kill_" + phase.Replace("-", "_", StringComparison.Ordinal), 100_000);
        var planFile = Path.Combine(Path.GetTempPath(), $"sb-pg-ghost-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, PlanJson.Write(Plans.Between(Core.Model.DialectKind.Postgres, Baseline, Desired)));
        var (load, stop, writing) = StartLoad(database, 100_000);
        try
        {
            await using var probe = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
            await probe.OpenAsync();
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "dotnet-schema.dll"), "deploy", "--plan", planFile, "--connection", database.UrlText, "--revert-window", "0" })
            {
                info.ArgumentList.Add(argument);
            }

            using var child = Process.Start(info)!;
            var killed = false;
            NpgsqlTransaction? hold = null;
            await using var holder = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
            await holder.OpenAsync();
            var deadline = Stopwatch.StartNew();
            while (!child.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(3))
            {
                if (phase == "copy")
                {
                    // A fast server copies 100k rows in about a second, before any checkpoint or poll sees
                    // the copy. An uncommitted row at key 90,000 in the shadow makes the chunk that reaches
                    // it wait, so the copy is certainly running (and 20,000+ rows in) when it is killed.
                    var shadow = await ShadowAsync(probe);
                    if (hold == null && shadow != null)
                    {
                        hold = await holder.BeginTransactionAsync();
                        await using var block = new NpgsqlCommand("INSERT INTO " + shadow + " (id, n) VALUES (90000, -1)", holder, hold);
                        await block.ExecuteNonQueryAsync();
                    }

                    var copied = hold == null ? 0L : (long)(await PgGhostCopyTests.ScalarAsync(probe, "SELECT count(*) FROM " + shadow))!;
                    if (copied >= 20_000 && await PhaseAsync(probe) == "copying")
                    {
                        child.Kill();
                        output.WriteLine($"killed during the copy with {copied} rows in the shadow");
                        killed = true;
                        break;
                    }
                }
                else if (await PhaseAsync(probe) == phase)
                {
                    // The checkpoint rows tell the phase: the copy done with the original not yet swapped.
                    child.Kill();
                    killed = true;
                    break;
                }

                await Task.Delay(10);
            }

            if (hold != null)
            {
                await child.WaitForExitAsync();
                await hold.RollbackAsync();
            }

            await child.WaitForExitAsync();
            Assert.True(killed, $"the deploy finished before reaching the {phase} phase: " + await child.StandardError.ReadToEndAsync());
            Assert.Equal(1L, await PgGhostCopyTests.ScalarAsync(probe, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'sb_ghost_%' AND database = current_database()"));

            // Deploy again: it resumes the same copy from the slot's confirmed position and the watermark.
            var again = SchemaTool.Run("deploy", "--plan", planFile, "--connection", database.UrlText, "--revert-window", "0");
            Assert.True(again.ExitCode == 0, again.ToString());
            await Task.Delay(500);
            stop.Cancel();
            await writing;
            output.WriteLine($"{phase}: {load.Writes} writes, longest write stall {load.LongestWrite.TotalMilliseconds:0} ms");
            Assert.Empty(load.Failures);
            await AssertEqualsModelAsync(database, load);
            await AssertNothingLeftAsync(database);
        }
        finally
        {
            stop.Cancel();
            File.Delete(planFile);
        }
    }

    [Fact]
    public async Task A_failed_ghost_copy_leaves_no_slot_or_publication_and_the_original_serving()
    {
        await using var database = await SeededAsync("pg_ghost_fail", 1000);
        await database.RunAsync("CREATE MATERIALIZED VIEW events_total AS SELECT sum(n) AS total FROM events;");
        await using var session = await database.OpenAsync();
        // The plan says so first (SB4011); acknowledged, the step reaches deploy, which refuses it again on the server.
        var plan = Plans.Between(Core.Model.DialectKind.Postgres, Baseline + "CREATE MATERIALIZED VIEW events_total AS SELECT sum(n) AS total FROM events;\n", "-- schema:allow SB4011 events \"runtime check\"\n" + Desired + "CREATE MATERIALIZED VIEW events_total AS SELECT sum(n) AS total FROM events;\n");
        Assert.Contains(plan.Diagnostics, d => d.Id == "SB4011" && d.Acknowledged && d.Message.Contains("events_total", StringComparison.Ordinal));
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None));
        Assert.Contains("events_total", failed.Message, StringComparison.Ordinal);
        Assert.Contains("materialized view", failed.Message, StringComparison.Ordinal);
        await AssertNoSlotAsync(database);
        await using var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        Assert.Equal("integer", await PgGhostCopyTests.ScalarAsync(connection, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'n'"));
        Assert.Equal(1000L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM events"));
    }

    /// <summary>The copy's phase from its control-table row: "copying", or "catch-up" once the copy is complete and before the swap.</summary>
    private static async Task<string?> PhaseAsync(NpgsqlConnection probe)
    {
        var table = SqlWriter.QuoteIdentifier(State.StateTableNames.Default.GhostCopies);
        try
        {
            return (string?)await PgGhostCopyTests.ScalarAsync(probe,
                "SELECT CASE WHEN state IN ('catching-up', 'verifying', 'in-sync') THEN 'catch-up' WHEN state = 'copying' THEN 'copying' END FROM " + table + " LIMIT 1");
        }
        catch (PostgresException)
        {
            return null; // not created yet
        }
    }

    /// <summary>The shadow table's quoted name once the copy has created it, else null.</summary>
    internal static async Task<string?> ShadowAsync(NpgsqlConnection probe)
    {
        try
        {
            var name = (string?)await PgGhostCopyTests.ScalarAsync(probe, "SELECT shadow_table FROM " + SqlWriter.QuoteIdentifier(State.StateTableNames.Default.GhostCopies) + " WHERE state = 'copying' LIMIT 1");
            return name == null ? null : (string?)await PgGhostCopyTests.ScalarAsync(probe, "SELECT to_regclass(" + SqlWriter.QuoteLiteral(name) + ")::text");
        }
        catch (PostgresException)
        {
            return null; // not created yet
        }
    }

    private static readonly Core.Dialects.IDdlWriter SqlWriter = Core.Dialects.SqlDialects.For(Core.Model.DialectKind.Postgres).Writer;

    private static async Task<TestDatabase> SeededAsync(string label, int rows)
    {
        var database = await TestDatabase.CreateAsync(Core.Model.DialectKind.Postgres, label);
        await database.RunAsync(Baseline + $"INSERT INTO events SELECT g, g % 1000 FROM generate_series(1, {rows}) g;");
        return database;
    }

    private static (PgWriteLoad Load, CancellationTokenSource Stop, Task Writing) StartLoad(TestDatabase database, int rows)
    {
        var load = new PgWriteLoad(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(5)), "events", writers: 8, perSecond: 400,
            Enumerable.Range(1, rows).Select(i => ((long)i, (long)(i % 1000))));
        var stop = new CancellationTokenSource();
        return (load, stop, load.RunAsync(stop.Token));
    }

    private static async Task AssertEqualsModelAsync(TestDatabase database, PgWriteLoad load)
    {
        await using var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        Assert.Equal("bigint", await PgGhostCopyTests.ScalarAsync(connection, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'n'"));
        var rows = await PgGhostCopyTests.RowsAsync(connection, "SELECT id, n FROM events");
        Assert.Equal(load.Model.Count, rows.Count);
        var wrong = load.Model.Where(kv => !rows.TryGetValue(kv.Key, out var n) || n != kv.Value).Take(5).ToList();
        Assert.True(wrong.Count == 0, "rows differ from the writers' model: " + string.Join(", ", wrong.Select(w => $"{w.Key}={w.Value} (table: {(rows.TryGetValue(w.Key, out var n) ? n : null)})")));
    }

    internal static async Task AssertNoSlotAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        Assert.Equal(0L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'sb_ghost_%' AND database = current_database()"));
        Assert.Equal(0L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'sb_ghost_%'"));
    }

    /// <summary>No slot, publication, shadow or changelog is left (the old table is kept until `dotnet schema complete`).</summary>
    internal static async Task AssertNothingLeftAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1)));
        await connection.OpenAsync();
        Assert.Equal(0L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'sb_ghost_%' AND database = current_database()"));
        Assert.Equal(0L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'sb_ghost_%'"));
        Assert.Equal(0L, await PgGhostCopyTests.ScalarAsync(connection, "SELECT count(*) FROM pg_class WHERE relname LIKE '\\_%\\_gh_' AND relkind = 'r'"));
    }
}
