using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using SchemaBuild.Runtime.Sessions;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>One query a <see cref="PgSql"/> ran while it recorded: its text, parameters and rows.</summary>
internal sealed record PgRead(string Sql, object?[] Parameters, IReadOnlyList<object?[]> Rows);

/// <summary>
/// Reads made before a lock, checked under it: the cutover reads the catalog while writers still
/// run, then runs the same queries again in one round trip with the originals locked. Equal rows
/// mean the statements built from the first reads still hold; the writers wait for one round trip
/// instead of one per query.
/// </summary>
internal static class PgReads
{
    /// <summary>Whether every query of <paramref name="reads"/> returns the same rows now, on <paramref name="sql"/> (in its open transaction).</summary>
    public static async Task<bool> UnchangedAsync(PgSql sql, IReadOnlyList<PgRead> reads, CancellationToken cancellationToken)
    {
        if (reads.Count == 0)
        {
            return true;
        }

        await using var batch = new NpgsqlBatch(sql.Connection, sql.Transaction);
        foreach (var read in reads)
        {
            var command = new NpgsqlBatchCommand(read.Sql);
            foreach (var value in read.Parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var same = true;
        foreach (var read in reads)
        {
            var rows = await SessionRows.ReadAllAsync(reader, cancellationToken).ConfigureAwait(false);
            same &= rows.Count == read.Rows.Count && rows.Zip(read.Rows).All(pair => pair.First.Length == pair.Second.Length && pair.First.Zip(pair.Second).All(v => SameValue(v.First, v.Second)));
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }

        return same;
    }

    /// <summary>Values as the driver returns them: scalars by value, arrays element by element.</summary>
    private static bool SameValue(object? a, object? b) =>
        a is IEnumerable x and not string && b is IEnumerable y and not string
            ? x.Cast<object?>().SequenceEqual(y.Cast<object?>())
            : Equals(a, b);
}
