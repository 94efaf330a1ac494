using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Deployment.Shards;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.State;
using SchemaBuild.Runtime.Tests.GhostCopy.Gate;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Shards;

/// <summary>N databases of one engine with the same <c>items</c> table and light write load each: the shards of one deployment.</summary>
internal sealed class ShardSet : IAsyncDisposable
{
    private ShardSet(IReadOnlyList<GateTarget> shards) => Shards = shards;

    public IReadOnlyList<GateTarget> Shards { get; }

    public IReadOnlyList<ShardTarget> Targets => Shards.Select((s, i) => new ShardTarget(Name(i), s.Database.Url)).ToList();

    public Core.Planning.Plan Plan => Shards[0].Plan;

    public static string Name(int index) => $"shard{index + 1}";

    public static async Task<ShardSet> CreateAsync(DialectKind dialect, string label, int count, int rows)
    {
        var shards = new List<GateTarget>();
        for (var i = 0; i < count; i++)
        {
            shards.Add(await GateTarget.CreateAsync(dialect, $"{label}{i + 1}", rows, workers: 2, writesPerSecond: 20));
        }

        return new ShardSet(shards);
    }

    public Task[] RunLoad(CancellationToken stop) => Shards.Select(s => s.Load.RunAsync(stop)).ToArray();

    /// <summary>The ghost copies of each shard as its control table has them now.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<GhostCopyRecord>>> CopiesAsync()
    {
        var all = new List<IReadOnlyList<GhostCopyRecord>>();
        foreach (var shard in Shards)
        {
            await using var session = await shard.Database.OpenAsync();
            all.Add(await new GhostCopyStore(session, StateTableNames.Default).ListAsync(null, CancellationToken.None));
        }

        return all;
    }

    /// <summary>Polls until every listed shard has its copy in sync at the gate.</summary>
    public async Task WaitReadyAsync(IEnumerable<int> shards, TimeSpan timeout)
    {
        var wanted = shards.ToList();
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            IReadOnlyList<IReadOnlyList<GhostCopyRecord>> copies;
            try
            {
                copies = await CopiesAsync();
            }
            catch (System.Data.Common.DbException) when (!limit.IsCancellationRequested)
            {
                // The deploy creates (and upgrades) the control tables right now.
                await Task.Delay(300);
                continue;
            }

            if (wanted.All(i => copies[i].Count > 0 && copies[i].All(c => c.ReadyAt is not null && c.State == GhostCopyState.InSync)))
            {
                return;
            }

            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"shards {string.Join(", ", wanted.Select(Name))} were not all ready within {timeout.TotalSeconds:0}s: "
                                           + string.Join("; ", copies.Select((c, i) => $"{Name(i)}: {string.Join(", ", c.Select(r => r.State))}")));
            }

            await Task.Delay(300);
        }
    }

    /// <summary>
    /// Polls until the copy of <paramref name="shard"/> matches: a shard that fails again and again clears its error
    /// each time it resumes, so a single read may fall between two failures.
    /// </summary>
    public async Task<GhostCopyRecord> WaitForCopyAsync(int shard, Func<GhostCopyRecord, bool> condition, string what, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            var copies = (await CopiesAsync())[shard];
            if (copies.Count == 1 && condition(copies[0]))
            {
                return copies[0];
            }

            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name(shard)}: no {what} within {timeout.TotalSeconds:0}s: " + string.Join("; ", copies.Select(c => $"{c.State} {c.Error}")));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>After the writers stopped: every shard on the new schema (qty bigint), every write succeeded and is in the table, no slot or publication left.</summary>
    public async Task AssertOnNewSchemaWithEveryWriteAsync()
    {
        foreach (var shard in Shards)
        {
            Assert.StartsWith("bigint", await shard.QtyTypeAsync(), StringComparison.Ordinal);
            Assert.True(shard.Load.Failures.Count == 0, string.Join("\n", shard.Load.Failures.Take(5)));
            var differences = await shard.Load.CompareAsync(CancellationToken.None);
            Assert.True(differences.Count == 0, "a shard differs from its writers' model:\n" + string.Join("\n", differences.Take(10)));
            Assert.Equal(0, await shard.SlotsAndPublicationsAsync());
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var shard in Shards)
        {
            await shard.Database.DisposeAsync();
        }
    }
}
