using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication;
using SchemaBuild.MySqlReplication.Binlog;

namespace SchemaBuild.MySqlReplication.Bench;

/// <summary>
/// Throughput harness (medians of several runs, same process, same server):
///  1. stream 1M rows x 5 columns through MySqlConnector (the driver every SchemaBuild query uses) vs the `mariadb` command-line client;
///  2. binlog: decode-only events/sec from the binlog file bytes, and end-to-end streaming events/sec.
/// Usage: dotnet run -c Release --project bench/SchemaBuild.MySqlReplication.Bench [-- rows runs]
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string? url = Environment.GetEnvironmentVariable("SCHEMABUILD_TEST_MARIADB");
        if (string.IsNullOrEmpty(url))
        {
            Console.Error.WriteLine("SCHEMABUILD_TEST_MARIADB is not set: run `eng/db.sh start` and `eval \"$(eng/db.sh env)\"` first.");
            return 2;
        }
        int rows = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        int runs = args.Length > 1 ? int.Parse(args[1]) : 5;
        var options = MySqlConnectionOptions.Parse(url).WithSslMode(MySqlSslMode.Disabled).WithTimeouts(command: TimeSpan.FromMinutes(10));
        string database = $"sb_bench_{Environment.ProcessId}";
        await using var admin = await OpenAsync(options);
        await admin.ExecuteAsync($"CREATE DATABASE `{database}`");
        try
        {
            var db = options.WithDatabase(database);
            await using var setup = await OpenAsync(db);
            await setup.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, a BIGINT NOT NULL, b VARCHAR(32) NOT NULL, c DOUBLE NOT NULL, d DATETIME NOT NULL)");
            var before = await CurrentPositionAsync(setup);
            var load = Stopwatch.StartNew();
            await setup.ExecuteAsync($"INSERT INTO t SELECT seq, seq * 7919, CONCAT('name-', seq), seq / 3, '2024-01-01' + INTERVAL seq SECOND FROM seq_1_to_{rows}");
            Console.WriteLine($"setup: {rows:N0} rows inserted in {load.Elapsed.TotalSeconds:0.00} s");
            // Many small events too: single-row updates, 1,000 statements per transaction.
            load.Restart();
            int updates = Math.Min(rows, 100_000);
            for (int batch = 0; batch < updates; batch += 1000)
            {
                var sql = new System.Text.StringBuilder("START TRANSACTION;");
                for (int i = batch + 1; i <= Math.Min(updates, batch + 1000); i++) sql.Append($"UPDATE t SET a = a + 1 WHERE id = {i};");
                await setup.ExecuteAsync(sql.Append("COMMIT;").ToString());
            }
            Console.WriteLine($"setup: {updates:N0} single-row updates in {load.Elapsed.TotalSeconds:0.00} s");

            await StreamRowsAsync(db, rows, runs);
            await BinlogAsync(db, setup, before, runs);
        }
        finally
        {
            await admin.ExecuteAsync($"DROP DATABASE `{database}`");
        }
        return 0;
    }

    private static async Task StreamRowsAsync(MySqlConnectionOptions db, int rows, int runs)
    {
        const string sql = "SELECT id, a, b, c, d FROM t";
        var client = new List<double>();
        var clientRaw = new List<double>();
        var cli = new List<double>();
        await ReadWithClientAsync(db, sql, rows, materialize: true); // warm-up (JIT, server buffer pool)
        RunCli(db, sql);
        for (int i = 0; i < runs; i++)
        {
            client.Add(await ReadWithClientAsync(db, sql, rows, materialize: true));
            clientRaw.Add(await ReadWithClientAsync(db, sql, rows, materialize: false));
            cli.Add(RunCli(db, sql));
        }
        double m = Median(client), r = Median(clientRaw), c = Median(cli);
        Console.WriteLine($"stream {rows:N0} rows x 5 columns, median of {runs}:");
        Console.WriteLine($"  MySqlConnector, values decoded     : {m:0.000} s  ({rows / m:N0} rows/s)  ratio vs mariadb CLI {m / c:0.00}x");
        Console.WriteLine($"  MySqlConnector, rows only          : {r:0.000} s  ({rows / r:N0} rows/s)  ratio vs mariadb CLI {r / c:0.00}x");
        Console.WriteLine($"  mariadb CLI (-B -N > /dev/null)    : {c:0.000} s  ({rows / c:N0} rows/s)");
    }

    private static async Task<double> ReadWithClientAsync(MySqlConnectionOptions db, string sql, int expected, bool materialize)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = await OpenAsync(db);
        await using var command = new MySqlConnector.MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        long count = 0, checksum = 0;
        while (await reader.ReadAsync())
        {
            count++;
            if (!materialize) continue;
            checksum += reader.GetInt64(0) + reader.GetInt64(1) + reader.GetString(2).Length + (long)reader.GetDouble(3) + reader.GetDateTime(4).Second;
        }
        if (count != expected) throw new InvalidOperationException($"read {count} rows, expected {expected}");
        GC.KeepAlive(checksum);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Runs the mariadb CLI with output to /dev/null; the password goes through MYSQL_PWD, not the command line.</summary>
    private static double RunCli(MySqlConnectionOptions db, string sql)
    {
        var start = new ProcessStartInfo("mariadb")
        {
            RedirectStandardOutput = false,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--no-defaults", "-h", db.Host, "-P", db.Port.ToString(), "-u", db.User, "--skip-ssl", "-B", "-N", "-e", sql, db.Database! })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["MYSQL_PWD"] = db.Password;
        // Output goes to /dev/null through a shell-free redirect: stdout inherits a handle to /dev/null.
        start.RedirectStandardOutput = true;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        string errors = process.StandardError.ReadToEnd();
        drain.Wait();
        process.WaitForExit();
        double elapsed = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException("mariadb CLI failed: " + errors);
        return elapsed;
    }

    private static async Task BinlogAsync(MySqlConnectionOptions db, MySqlConnector.MySqlConnection setup, BinlogPosition start, int runs)
    {
        // End to end: server -> socket -> framing -> checksum -> decode -> typed events.
        var stream = new List<(double Seconds, long Events, long Rows)>();
        for (int i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            long events = 0, rowCount = 0;
            await using var client = new BinlogClient(new BinlogClientOptions(db, BinlogStartPosition.FromFile(start)) { StopAtEnd = true, ServerId = (uint)(900_000 + i) });
            await foreach (var ev in client.ReadEventsAsync())
            {
                events++;
                if (ev is RowsEvent r) rowCount += r.Rows.Count;
            }
            stream.Add((watch.Elapsed.TotalSeconds, events, rowCount));
        }
        var median = stream.OrderBy(s => s.Seconds).ElementAt(stream.Count / 2);
        Console.WriteLine($"binlog streaming (from the server, CRC32 verified), median of {runs}:");
        Console.WriteLine($"  {median.Events:N0} events / {median.Rows:N0} row images in {median.Seconds:0.000} s = {median.Events / median.Seconds:N0} events/s, {median.Rows / median.Seconds:N0} rows/s");

        // Decode only: the binlog file's bytes, already in memory.
        await using var query = new MySqlConnector.MySqlCommand("SELECT @@log_bin_basename", setup);
        string basename = (string)(await query.ExecuteScalarAsync())!;
        string file = Path.Combine(Path.GetDirectoryName(basename)!, start.FileName);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"binlog decode-only: skipped, cannot read {file}: {e.Message}");
            return;
        }
        var rates = new List<(double Seconds, long Events, long Rows)>();
        for (int i = 0; i < runs; i++) rates.Add(DecodeFile(bytes));
        var best = rates.OrderBy(s => s.Seconds).ElementAt(rates.Count / 2);
        Console.WriteLine($"binlog decode only ({bytes.Length / 1048576.0:0.0} MiB file in memory, CRC32 verified), median of {runs}:");
        Console.WriteLine($"  {best.Events:N0} events / {best.Rows:N0} row images in {best.Seconds:0.000} s = {best.Events / best.Seconds:N0} events/s, {best.Rows / best.Seconds:N0} rows/s, {bytes.Length / 1048576.0 / best.Seconds:0} MiB/s");
    }

    private static (double, long, long) DecodeFile(byte[] bytes)
    {
        var watch = Stopwatch.StartNew();
        var decoder = new BinlogEventDecoder(checksums: true) { FileName = "bench" };
        long events = 0, rows = 0;
        int offset = 4; // magic number
        while (offset + 19 <= bytes.Length)
        {
            int size = BitConverter.ToInt32(bytes, offset + 9);
            if (size < 19 || offset + size > bytes.Length) break;
            var ev = decoder.Decode(bytes.AsSpan(offset, size));
            events++;
            if (ev is RowsEvent r) rows += r.Rows.Count;
            offset += size;
        }
        return (watch.Elapsed.TotalSeconds, events, rows);
    }

    private static async Task<MySqlConnector.MySqlConnection> OpenAsync(MySqlConnectionOptions options)
    {
        var builder = new MySqlConnector.MySqlConnectionStringBuilder
        {
            Server = options.Host,
            Port = (uint)options.Port,
            UserID = options.User,
            Password = options.Password,
            Database = options.Database ?? string.Empty,
            SslMode = MySqlConnector.MySqlSslMode.None,
            DefaultCommandTimeout = 600,
            AllowUserVariables = true,
        };
        var connection = new MySqlConnector.MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(this MySqlConnector.MySqlConnection connection, string sql)
    {
        await using var command = new MySqlConnector.MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<BinlogPosition> CurrentPositionAsync(MySqlConnector.MySqlConnection connection)
    {
        await using var command = new MySqlConnector.MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new BinlogPosition(reader.GetString(0), (ulong)reader.GetInt64(1));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }
}
