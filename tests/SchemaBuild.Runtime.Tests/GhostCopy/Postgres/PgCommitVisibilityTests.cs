using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.Postgres;
using SchemaBuild.Runtime.Engines.Postgres.Online;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// The applier copies the original's current rows for changed keys, so a change decoded from the
/// slot must be visible before they are read: a transaction whose commit record is flushed (and
/// decoded) but which has not left the proc array is still running to every new snapshot. An open
/// transaction stands in for that moment here (the real one lasts microseconds, longer on a loaded
/// machine, and lost one update in a load test).
/// </summary>
public sealed class PgCommitVisibilityTests
{
    [Fact]
    public async Task A_batch_waits_until_its_transactions_are_visible_to_new_snapshots()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pg_visibility");
        await database.RunAsync("CREATE TABLE items (id bigint PRIMARY KEY, n integer NOT NULL); INSERT INTO items VALUES (1, 1);");
        var connectionString = PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1));
        var checker = await PgSql.OpenAsync(connectionString, CancellationToken.None);
        await using var checkerConnection = checker.Connection;
        await using var writer = new NpgsqlConnection(connectionString);
        await writer.OpenAsync();

        var committedXid = await XidOfAsync(writer, "UPDATE items SET n = 2 WHERE id = 1", commit: true);
        Assert.Equal(0L, await PgCommitVisibility.CountInvisibleAsync(checker, new[] { committedXid }, CancellationToken.None));

        await using var transaction = await writer.BeginTransactionAsync();
        var runningXid = await XidOfAsync(writer, "UPDATE items SET n = 3 WHERE id = 1", commit: false);
        Assert.Equal(1L, await PgCommitVisibility.CountInvisibleAsync(checker, new[] { committedXid, runningXid }, CancellationToken.None));

        var watch = Stopwatch.StartNew();
        var waiting = PgCommitVisibility.WaitAsync(checker, new[] { committedXid, runningXid }, TimeSpan.FromSeconds(30), CancellationToken.None);
        await Task.Delay(400);
        Assert.False(waiting.IsCompleted, "the wait returned while the transaction was still running");
        await transaction.CommitAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(400), $"waited only {watch.ElapsedMilliseconds} ms");

        // Once it returns, a new snapshot reads the change.
        Assert.Equal(3L, Convert.ToInt64(await checker.ScalarAsync("SELECT n FROM items WHERE id = 1", null, CancellationToken.None), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_transaction_that_stays_invisible_stops_the_wait_with_a_reason()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "pg_visibility_limit");
        await database.RunAsync("CREATE TABLE items (id bigint PRIMARY KEY);");
        var connectionString = PostgresSession.ConnectionString(database.Url, TimeSpan.FromMinutes(1));
        var checker = await PgSql.OpenAsync(connectionString, CancellationToken.None);
        await using var checkerConnection = checker.Connection;
        await using var writer = new NpgsqlConnection(connectionString);
        await writer.OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        var runningXid = await XidOfAsync(writer, "INSERT INTO items VALUES (1)", commit: false);

        var failed = await Assert.ThrowsAsync<TimeoutException>(() => PgCommitVisibility.WaitAsync(checker, new[] { runningXid }, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.Contains(runningXid.ToString(CultureInfo.InvariantCulture), failed.Message, StringComparison.Ordinal);
        Assert.Contains("deploy again", failed.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="sql"/> and returns its transaction's xid as pgoutput sends it (the low 32 bits).</summary>
    private static async Task<uint> XidOfAsync(NpgsqlConnection connection, string sql, bool commit)
    {
        var text = commit ? "BEGIN; " + sql + "; SELECT pg_current_xact_id()::text; COMMIT" : sql + "; SELECT pg_current_xact_id()::text";
        await using var command = new NpgsqlCommand(text, connection);
        var xid = (string)(await command.ExecuteScalarAsync())!;
        return (uint)(ulong.Parse(xid, CultureInfo.InvariantCulture) & 0xFFFF_FFFF);
    }
}
