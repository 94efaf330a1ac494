using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Postgres;

/// <summary>
/// A bounded mixed INSERT/UPDATE/DELETE load on <c>(id bigint key, n integer)</c> rows, on
/// loopback. Each writer owns the ids congruent to its number, so its own model of every
/// committed write is exact; the union is what the table must hold afterwards. Records every
/// failure and the longest single write (the stall a cutover causes).
/// </summary>
internal sealed class PgWriteLoad
{
    private readonly string connectionString;
    private readonly string table;
    private readonly int writers;
    private readonly int perSecond;
    private readonly ConcurrentDictionary<long, long> model = new();
    private readonly ConcurrentQueue<string> failures = new();
    private readonly ConcurrentBag<double> latencies = new();
    private readonly ConcurrentBag<(DateTime Started, double Ms)> timed = new();
    private long writes;

    public PgWriteLoad(string connectionString, string quotedTable, int writers, int perSecond, IEnumerable<(long Id, long N)> initial)
    {
        this.connectionString = connectionString;
        table = quotedTable;
        this.writers = writers;
        this.perSecond = perSecond;
        foreach (var (id, n) in initial)
        {
            model[id] = n;
        }
    }

    public IReadOnlyDictionary<long, long> Model => model;

    public IReadOnlyCollection<string> Failures => failures;

    public long Writes => Interlocked.Read(ref writes);

    public TimeSpan LongestWrite => TimeSpan.FromMilliseconds(latencies.IsEmpty ? 0 : latencies.Max());

    /// <summary>The longest write that was running at some point between two times (UTC), e.g. during a swap.</summary>
    public TimeSpan LongestWriteBetween(DateTime from, DateTime to) =>
        TimeSpan.FromMilliseconds(timed.Where(t => t.Started <= to && t.Started.AddMilliseconds(t.Ms) >= from).Select(t => t.Ms).DefaultIfEmpty(0).Max());

    public double Percentile(double p)
    {
        var sorted = latencies.OrderBy(x => x).ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriterAsync(w, stop))));

    private async Task WriterAsync(int writer, CancellationToken stop)
    {
        var random = new Random(writer * 7919 + 1);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        var interval = TimeSpan.FromSeconds((double)writers / perSecond);
        var mine = model.Keys.Where(k => k % writers == writer).ToList();
        var next = (model.Keys.DefaultIfEmpty(0).Max() / writers + 1_000_000) * writers + writer;
        var clock = Stopwatch.StartNew();
        var due = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            due += interval;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    // Computed once: on a loaded machine the clock can pass `due` between a check and the delay.
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var op = random.Next(10);
            var watch = Stopwatch.StartNew();
            try
            {
                if (op < 4 || mine.Count == 0)
                {
                    var id = next;
                    next += writers;
                    var n = random.Next();
                    await ExecuteAsync(connection, "INSERT INTO " + table + " (id, n) VALUES ($1, $2)", id, n);
                    model[id] = n;
                    mine.Add(id);
                }
                else if (op < 8)
                {
                    var id = mine[random.Next(mine.Count)];
                    var n = random.Next();
                    await ExecuteAsync(connection, "UPDATE " + table + " SET n = $2 WHERE id = $1", id, n);
                    model[id] = n;
                }
                else
                {
                    var index = random.Next(mine.Count);
                    var id = mine[index];
                    await ExecuteAsync(connection, "DELETE FROM " + table + " WHERE id = $1", id, 0);
                    model.TryRemove(id, out _);
                    mine[index] = mine[^1];
                    mine.RemoveAt(mine.Count - 1);
                }

                Interlocked.Increment(ref writes);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                timed.Add((DateTime.UtcNow - watch.Elapsed, watch.Elapsed.TotalMilliseconds));
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                failures.Enqueue(ex.Message);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, long id, long n)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        if (sql.Contains("$2", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (int)n });
        }

        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
