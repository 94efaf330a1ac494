using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Data.Common;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Load;

/// <summary>
/// What the write load needs from an engine: a new connection and the quoted table name. The table
/// is <c>(id integer key, qty integer, name text)</c>; the SQL is the same on both engines.
/// </summary>
public sealed record LoadTarget(Func<CancellationToken, Task<DbConnection>> Open, string Table, string IdColumn = "id");

/// <summary>
/// A bounded, time-limited mixed INSERT/UPDATE/DELETE load on loopback that keeps its own model of
/// every committed write. Each worker owns the ids congruent to its number, so the model of an id is
/// only changed by one worker, in commit order. Latencies of every write are kept: the longest one
/// is the write stall (e.g. at a cutover).
/// </summary>
public sealed class WriteLoad
{
    private readonly LoadTarget target;
    private readonly int workers;
    private readonly double writesPerSecond;
    private readonly ConcurrentDictionary<long, (int Qty, string Name)> model = new();
    private readonly ConcurrentBag<string> failures = new();
    private readonly ConcurrentBag<(double StartedAtMs, double Ms)> latencies = new();
    private readonly Stopwatch clock = new();
    private readonly ConcurrentDictionary<long, (double StartedMs, double EndedMs)> lastWrite = new();
    private long nextId;

    public WriteLoad(LoadTarget target, int workers, double writesPerSecond)
    {
        this.target = target;
        this.workers = workers;
        this.writesPerSecond = writesPerSecond;
    }

    public IReadOnlyDictionary<long, (int Qty, string Name)> Model => model;

    public IReadOnlyCollection<string> Failures => failures;

    public int Writes => latencies.Count;

    /// <summary>Reads the table into the model (after seeding); new ids start above the largest.</summary>
    public async Task LoadModelAsync(CancellationToken cancellationToken)
    {
        await using var connection = await target.Open(cancellationToken);
        foreach (var (id, qty, name) in await ReadAsync(connection, cancellationToken))
        {
            model[id] = (qty, name);
        }

        nextId = model.Keys.DefaultIfEmpty(0).Max() + 1;
    }

    /// <summary>Runs the load until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        clock.Start();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, stop), CancellationToken.None)));
        clock.Stop();
    }

    public double Rate => latencies.Count / Math.Max(0.001, clock.Elapsed.TotalSeconds);

    public double Percentile(double p)
    {
        var sorted = latencies.Select(l => l.Ms).OrderBy(x => x).ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    /// <summary>p50, p99 and longest latency (ms) of the writes that started between <paramref name="fromMs"/> and <paramref name="toMs"/> (ms since the load started).</summary>
    public (double P50, double P99, double Longest, int Writes) Window(double fromMs, double toMs)
    {
        var sorted = latencies.Where(l => l.StartedAtMs >= fromMs && l.StartedAtMs < toMs).Select(l => l.Ms).OrderBy(x => x).ToArray();
        double At(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return (At(0.5), At(0.99), sorted.Length == 0 ? 0 : sorted[^1], sorted.Length);
    }

    /// <summary>The longest write, and when it started (ms since the load started).</summary>
    public (double Ms, double AtMs) LongestStall => latencies.OrderByDescending(l => l.Ms).Select(l => (l.Ms, l.StartedAtMs)).FirstOrDefault();

    /// <summary>The longest write that was running at some point between two load times (ms), e.g. during a swap.</summary>
    public double LongestStallBetween(double fromMs, double toMs) =>
        latencies.Where(l => l.StartedAtMs <= toMs && l.StartedAtMs + l.Ms >= fromMs).Select(l => l.Ms).DefaultIfEmpty(0).Max();

    /// <summary>Differences between the table and the model (at most <paramref name="max"/>), empty when equal.</summary>
    public async Task<IReadOnlyList<string>> CompareAsync(CancellationToken cancellationToken, int max = 10)
    {
        await using var connection = await target.Open(cancellationToken);
        var rows = (await ReadAsync(connection, cancellationToken)).ToDictionary(r => r.Id, r => (r.Qty, r.Name));
        var differences = new List<string>();
        foreach (var (id, expected) in model)
        {
            if (!rows.TryGetValue(id, out var actual))
            {
                differences.Add($"id {id}: missing (expected qty {expected.Qty}){When(id)}");
            }
            else if (actual != expected)
            {
                differences.Add($"id {id}: ({actual.Qty}, {actual.Name}) instead of ({expected.Qty}, {expected.Name}){When(id)}");
            }
        }

        differences.AddRange(rows.Keys.Where(id => !model.ContainsKey(id)).Select(id => $"id {id}: present but deleted (or never written){When(id)}"));
        return differences.Take(max).ToList();
    }

    /// <summary>Milliseconds since the load started, for correlating with the deployment's log.</summary>
    public double NowMs => clock.Elapsed.TotalMilliseconds;

    private string When(long id) => lastWrite.TryGetValue(id, out var w) ? $" [last written {w.StartedMs / 1000:0.000}-{w.EndedMs / 1000:0.000}s]" : string.Empty;

    public string Summary() =>
        $"{Writes} writes at {Rate:0} writes/s from {workers} connections; latency p50 {Percentile(0.5):0.0} ms, p99 {Percentile(0.99):0.0} ms, longest {LongestStall.Ms:0} ms at {LongestStall.AtMs / 1000:0.0} s; {failures.Count} failed";

    private async Task WorkerAsync(int worker, CancellationToken stop)
    {
        var random = new Random(worker * 7919 + 1);
        var perWorker = writesPerSecond / workers;
        var owned = model.Keys.Where(id => id % workers == worker).ToList();
        var next = NextOwned(worker);
        await using var connection = await target.Open(CancellationToken.None);
        var started = clock.Elapsed.TotalMilliseconds;
        long done = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = started + done * 1000 / perWorker;
            var wait = due - clock.Elapsed.TotalMilliseconds;
            if (wait > 1)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var op = random.Next(10);
            var at = clock.Elapsed.TotalMilliseconds;
            try
            {
                if (op < 4 || owned.Count == 0)
                {
                    var id = next;
                    next += workers;
                    var row = (random.Next(1_000_000), "i" + random.Next(1000));
                    await ExecuteAsync(connection, $"INSERT INTO {target.Table} ({target.IdColumn}, qty, name) VALUES (@id, @qty, @name)", id, row.Item1, row.Item2);
                    model[id] = row;
                    lastWrite[id] = (at, clock.Elapsed.TotalMilliseconds);
                    owned.Add(id);
                }
                else if (op < 8)
                {
                    var id = owned[random.Next(owned.Count)];
                    var row = (random.Next(1_000_000), "u" + random.Next(1000));
                    await ExecuteAsync(connection, $"UPDATE {target.Table} SET qty = @qty, name = @name WHERE {target.IdColumn} = @id", id, row.Item1, row.Item2);
                    model[id] = row;
                    lastWrite[id] = (at, clock.Elapsed.TotalMilliseconds);
                }
                else
                {
                    var index = random.Next(owned.Count);
                    var id = owned[index];
                    await ExecuteAsync(connection, $"DELETE FROM {target.Table} WHERE {target.IdColumn} = @id", id, null, null);
                    model.TryRemove(id, out _);
                    lastWrite[id] = (at, clock.Elapsed.TotalMilliseconds);
                    owned[index] = owned[^1];
                    owned.RemoveAt(owned.Count - 1);
                }
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // The write's outcome is unknown: reported, and the test fails on any failure.
                failures.Add($"{at / 1000:0.000}s: {ex.Message}");
            }

            var ended = clock.Elapsed.TotalMilliseconds;
            latencies.Add((at, ended - at));
            done++;
        }
    }

    private long NextOwned(int worker)
    {
        var start = Interlocked.Read(ref nextId);
        return start + ((worker - start % workers) % workers + workers) % workers;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, long id, int? qty, string? name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Add(command, "@id", id);
        if (qty is not null)
        {
            Add(command, "@qty", qty.Value);
            Add(command, "@name", name);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private async Task<List<(long Id, int Qty, string Name)>> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {target.IdColumn}, qty, name FROM {target.Table}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(long, int, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((Convert.ToInt64(reader.GetValue(0)), Convert.ToInt32(reader.GetValue(1)), Convert.ToString(reader.GetValue(2)) ?? string.Empty));
        }

        return rows;
    }
}
