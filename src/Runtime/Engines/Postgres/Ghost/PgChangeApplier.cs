using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Engines.Postgres.Ghost;

/// <summary>
/// Applies row changes of the originals to their shadows through the column mapping, in commit
/// order, idempotently: an insert or update becomes an upsert of the whole row, a delete a DELETE
/// by key, so replaying from an older confirmed position converges on the same rows. Values come
/// as the original's text output and go through the same casts as the copy
/// (<c>CAST(CAST($n AS source type) AS shadow type)</c>), so both paths convert alike.
/// </summary>
internal sealed class PgChangeApplier
{
    private readonly Dictionary<QualifiedName, PgGhostTable> tables;

    public PgChangeApplier(IEnumerable<PgGhostTable> tables)
    {
        this.tables = tables.ToDictionary(t => t.Original);
    }

    public bool Covers(QualifiedName table) => tables.ContainsKey(table);

    /// <summary>
    /// Applies the changes as one batch on <paramref name="sql"/> (its transaction when it has one).
    /// Within a batch only the last full change of a key is kept: earlier ones are overwritten anyway.
    /// </summary>
    public async Task<int> ApplyAsync(PgSql sql, IReadOnlyList<PgChange> changes, CancellationToken cancellationToken)
    {
        var operations = new List<(PgGhostTable Table, PgChange Change, string Key)?>();
        var lastFull = new Dictionary<(QualifiedName, string), int>();
        foreach (var change in changes)
        {
            if (change.Table is null || !tables.TryGetValue(change.Table, out var table))
            {
                continue;
            }

            if (change.Kind == PgChangeKind.Truncate)
            {
                throw new InvalidOperationException($"{table.Original} was truncated during its ghost copy; deploy again to start the copy over (cancel this deployment first).");
            }

            if (change.Kind == PgChangeKind.Update && change.OldKey is { } oldKey && KeyText(table, oldKey) is var before && before != KeyText(table, change.Row!))
            {
                // The key changed: the row under the old key goes, the new one comes.
                Add(table, change with { Kind = PgChangeKind.Delete, Row = oldKey, OldKey = null }, before);
            }

            Add(table, change, KeyText(table, change.Row!));
        }

        var batch = new NpgsqlBatch(sql.Connection, sql.Transaction);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var operation in operations)
            {
                if (operation is { } op)
                {
                    batch.BatchCommands.Add(Command(op.Table, op.Change));
                }
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return batch.BatchCommands.Count;
        }

        void Add(PgGhostTable table, PgChange change, string key)
        {
            var full = change.Kind == PgChangeKind.Delete || !change.Row!.Values.Any(v => v.Unchanged);
            if (full && lastFull.TryGetValue((table.Original, key), out var earlier))
            {
                operations[earlier] = null;
            }

            operations.Add((table, change, key));
            if (full)
            {
                lastFull[(table.Original, key)] = operations.Count - 1;
            }
        }
    }

    private static string KeyText(PgGhostTable table, IReadOnlyDictionary<string, PgValue> row) =>
        string.Join("\u0001", table.Key.Select(k => row.TryGetValue(k.SourceName, out var v) ? v.Text ?? "\u0000" : "\u0000"));

    private static NpgsqlBatchCommand Command(PgGhostTable table, PgChange change)
    {
        var command = new NpgsqlBatchCommand();
        string Value(PgGhostColumn column, PgValue value)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value.Text ?? DBNull.Value });
            return PgCopyExpressions.Convert(column, "$" + command.Parameters.Count);
        }

        var shadow = PgCopyExpressions.Writer.QuoteName(table.Shadow);
        var row = change.Row!;
        string Where() => string.Join(" AND ", table.Key.Select(k => Q(k.Name) + " = " + Value(k, row[k.SourceName])));
        if (change.Kind == PgChangeKind.Delete)
        {
            command.CommandText = "DELETE FROM " + shadow + " WHERE " + Where();
            return command;
        }

        var present = table.Columns.Where(c => row.TryGetValue(c.SourceName, out var v) && !v.Unchanged).ToList();
        if (present.Count < table.Columns.Count)
        {
            // An unchanged TOASTed value is not resent: update what came, the row is already in the shadow.
            var sets = present.Where(c => !table.Key.Contains(c)).Select(c => Q(c.Name) + " = " + Value(c, row[c.SourceName])).ToList();
            command.CommandText = sets.Count == 0 ? "SELECT 1" : "UPDATE " + shadow + " SET " + string.Join(", ", sets) + " WHERE " + Where();
            return command;
        }

        var values = string.Join(", ", table.Columns.Select(c => Value(c, row[c.SourceName])));
        var others = table.Columns.Where(c => !table.Key.Contains(c)).Select(c => Q(c.Name) + " = EXCLUDED." + Q(c.Name)).ToList();
        command.CommandText = "INSERT INTO " + shadow + " (" + string.Join(", ", table.Columns.Select(c => Q(c.Name))) + ") OVERRIDING SYSTEM VALUE VALUES (" + values + ") "
            + "ON CONFLICT (" + string.Join(", ", table.Key.Select(k => Q(k.Name))) + ") "
            + (others.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", others));
        return command;
    }

    private static string Q(string identifier) => PgCopyExpressions.Writer.QuoteIdentifier(identifier);
}
