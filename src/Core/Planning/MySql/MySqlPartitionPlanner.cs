using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;

namespace SchemaBuild.Core.Planning.MySql;

/// <summary>
/// The ALTER TABLE for a changed partitioning. The same scheme keeps its data where it is:
/// RANGE/LIST partitions are added at the end (<c>ADD PARTITION</c>) or the changed run is
/// reorganized (<c>REORGANIZE PARTITION ... INTO</c>, which moves rows and fails rather than lose
/// any; a partition is never dropped with its rows), HASH/KEY counts grow with <c>ADD PARTITION
/// PARTITIONS n</c> and shrink with <c>COALESCE PARTITION n</c>. A new scheme, or partitioning
/// added or removed, rebuilds the table (<c>PARTITION BY</c>, <c>REMOVE PARTITIONING</c>).
/// </summary>
internal sealed class MySqlPartitionPlanner
{
    private readonly MySqlDdlWriter writer;

    public MySqlPartitionPlanner(MySqlDdlWriter writer) => this.writer = writer;

    /// <summary>The clause after <c>ALTER TABLE t</c>, and whether it rebuilds the whole table.</summary>
    public (string Clause, bool Rebuild) Clause(ChangePartitioning change)
    {
        var from = change.From.Partitioning;
        var to = change.To.Partitioning;
        if (to is null)
        {
            return ("REMOVE PARTITIONING", true);
        }

        if (from is null || !from.SameScheme(to))
        {
            return (writer.WritePartitioning(to), true);
        }

        if (from.Partitions.Count == 0 && to.Partitions.Count == 0)
        {
            var before = from.Count ?? 1;
            var after = to.Count ?? 1;
            return after > before
                ? ("ADD PARTITION PARTITIONS " + (after - before).ToString(CultureInfo.InvariantCulture), false)
                : ("COALESCE PARTITION " + (before - after).ToString(CultureInfo.InvariantCulture), false);
        }

        // MariaDB refuses a DEFAULT partition in REORGANIZE ... INTO (error 1653), and a LIST scheme
        // with a DEFAULT partition can only gain partitions through it: rebuild those.
        var hasDefault = to.Partitions.Concat(from.Partitions).Any(p => p.IsDefault);
        if (from.Method is PartitionMethod.Range or PartitionMethod.List && from.Partitions.Count > 0 && to.Partitions.Count > 0 && !hasDefault)
        {
            return (Reorganize(from.Partitions, to.Partitions, to.Method), false);
        }

        return (writer.WritePartitioning(to), true);
    }

    /// <summary>Keeps the partitions both lists share at the start and the end; the run between them changes.</summary>
    private string Reorganize(EquatableList<Partition> from, EquatableList<Partition> to, PartitionMethod method)
    {
        var head = 0;
        while (head < from.Count && head < to.Count && from[head].Equals(to[head]))
        {
            head++;
        }

        var tail = 0;
        while (tail < from.Count - head && tail < to.Count - head && from[from.Count - 1 - tail].Equals(to[to.Count - 1 - tail]))
        {
            tail++;
        }

        var oldRun = from.Skip(head).Take(from.Count - head - tail).ToList();
        var newRun = to.Skip(head).Take(to.Count - head - tail).ToList();
        if (oldRun.Count == 0 && tail == 0)
        {
            return "ADD PARTITION (" + writer.WritePartitions(newRun, method) + ")";
        }

        if (oldRun.Count == 0 || newRun.Count == 0)
        {
            // Nothing to reorganize on one side: take in a neighbour both sides keep, the next one
            // (it receives a removed RANGE partition's rows), or the previous one at the end.
            if (tail > 0)
            {
                oldRun.Add(from[from.Count - tail]);
                newRun.Add(to[to.Count - tail]);
            }
            else
            {
                oldRun.Insert(0, from[head - 1]);
                newRun.Insert(0, to[head - 1]);
            }
        }

        return "REORGANIZE PARTITION " + string.Join(", ", oldRun.Select(p => writer.QuoteIdentifier(p.Name)))
            + " INTO (" + writer.WritePartitions(newRun, method) + ")";
    }
}
