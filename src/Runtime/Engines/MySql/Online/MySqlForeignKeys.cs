using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>One foreign key as the catalog has it: the child table and columns, the parent table and columns, the actions.</summary>
internal sealed record MySqlForeignKey(string Name, string Table, IReadOnlyList<string> Columns, string ReferencedTable, IReadOnlyList<string> ReferencedColumns, string OnDelete, string OnUpdate)
{
    /// <summary>Actions InnoDB performs itself on the child: their row changes are not written to the binlog.</summary>
    public bool Cascades => IsCascading(OnDelete) || IsCascading(OnUpdate);

    private static bool IsCascading(string action) => action is "CASCADE" or "SET NULL" or "SET DEFAULT";
}

/// <summary>
/// Moves the foreign keys of ghost-copied tables across in their cutover, with
/// <c>foreign_key_checks = 0</c> so each ALTER is a metadata change (no rows read) while the
/// cutover lock holds the writers:
/// <list type="bullet">
/// <item>a child's key that references an original is re-pointed at its shadow; the RENAME of the
/// shadow to the table's name then carries it along (InnoDB follows a renamed parent);</item>
/// <item>a copied table's own keys are dropped from the original and added to the shadow under the
/// same names (names are unique per database, so the shadow cannot carry them during the copy,
/// which also keeps the applier's writes to the shadow free of key checks and cascades); a key
/// between two tables of the same cutover goes from shadow to shadow.</item>
/// </list>
/// Moves are applied after the final drain (a REPLACE into a shadow that is already a parent would
/// fire the children's ON DELETE actions) and undone in reverse when the cutover gives up.
/// </summary>
internal sealed class MySqlForeignKeys
{
    private static readonly string[] Actions = { "RESTRICT", "CASCADE", "SET NULL", "NO ACTION", "SET DEFAULT" };

    private readonly IDdlWriter writer;
    private readonly List<(MySqlForeignKey From, MySqlForeignKey To)> moved = new();

    public MySqlForeignKeys(IDdlWriter writer) => this.writer = writer;

    /// <summary>The foreign keys of <paramref name="table"/> and those that reference it, from the catalog.</summary>
    public static async Task<List<MySqlForeignKey>> ReadAsync(MySqlSession session, string table, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT r.CONSTRAINT_NAME, r.TABLE_NAME, r.REFERENCED_TABLE_NAME, r.DELETE_RULE, r.UPDATE_RULE, k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME "
            + "FROM information_schema.REFERENTIAL_CONSTRAINTS r JOIN information_schema.KEY_COLUMN_USAGE k "
            + "ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.TABLE_NAME = r.TABLE_NAME AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME "
            + "WHERE r.CONSTRAINT_SCHEMA = DATABASE() AND (r.TABLE_NAME = ? OR r.REFERENCED_TABLE_NAME = ?) "
            + "ORDER BY r.TABLE_NAME, r.CONSTRAINT_NAME, k.ORDINAL_POSITION",
            new object?[] { table, table }, cancellationToken).ConfigureAwait(false);
        string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        return rows.GroupBy(r => (Table: Text(r[1]), Name: Text(r[0])))
            .Select(g =>
            {
                var first = g.First();
                return new MySqlForeignKey(g.Key.Name, g.Key.Table, g.Select(r => Text(r[5])).ToList(), Text(first[2]), g.Select(r => Text(r[6])).ToList(), Action(Text(first[3])), Action(Text(first[4])));
            })
            .ToList();
    }

    /// <summary>
    /// Refuses what the cutover cannot move safely (the planner reports the same as SB4009): keys with
    /// cascading actions on the copied table, whose cascaded changes never reach the binlog, and keys of
    /// the table on itself.
    /// </summary>
    public static void RefuseUnsafe(string table, IReadOnlyList<MySqlForeignKey> keys)
    {
        var own = keys.Where(k => k.Table == table).ToList();
        if (own.FirstOrDefault(k => k.ReferencedTable == table) is { } self)
        {
            throw new GhostCopyRefusedException(
                $"{table} has a foreign key on itself ({self.Name}); the cutover cannot move both of its ends at once (SB4009). Drop it in an earlier deployment and add it back after, or apply this step in a maintenance window (plan.sql). Nothing was changed.");
        }

        if (own.FirstOrDefault(k => k.Cascades) is { } cascading)
        {
            throw new GhostCopyRefusedException(
                $"{table} has the foreign key {cascading.Name} to {cascading.ReferencedTable} with ON DELETE {cascading.OnDelete} ON UPDATE {cascading.OnUpdate}: InnoDB makes those changes to {table} itself and does not write them to the binlog, so the shadow would miss them (SB4009). "
                + "Make the key RESTRICT/NO ACTION for the time of the copy, or apply this step in a maintenance window (plan.sql). Nothing was changed.");
        }
    }

    /// <summary>The tables outside the cutover whose keys reference one of its tables: the cutover holds them too (their keys are altered).</summary>
    public static IEnumerable<string> Children(IReadOnlyDictionary<string, string> shadowOf, IEnumerable<MySqlForeignKey> keys) =>
        keys.Where(k => !shadowOf.ContainsKey(k.Table)).Select(k => k.Table).Distinct(StringComparer.Ordinal);

    /// <summary>Moves every key of the cutover's tables onto the shadows (see the class). Each move is remembered so <see cref="UndoAsync"/> can reverse it.</summary>
    public async Task MoveAsync(MySqlSession session, IReadOnlyDictionary<string, string> shadowOf, IEnumerable<MySqlForeignKey> keys, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("SET SESSION foreign_key_checks = 0", null, cancellationToken).ConfigureAwait(false);
        foreach (var key in keys.DistinctBy(k => (k.Table, k.Name)))
        {
            var to = key with
            {
                Table = shadowOf.TryGetValue(key.Table, out var shadow) ? shadow : key.Table,
                ReferencedTable = shadowOf.TryGetValue(key.ReferencedTable, out var parent) ? parent : key.ReferencedTable,
            };
            if (to != key)
            {
                await ReplaceAsync(session, key, to, cancellationToken).ConfigureAwait(false);
                moved.Add((key, to));
            }
        }

        await session.ExecuteAsync("SET SESSION foreign_key_checks = 1", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The swap happened: the moved keys stay where they are.</summary>
    public void Keep() => moved.Clear();

    /// <summary>Puts every moved key back where it was (newest first). Nothing was renamed, so the names are those of before.</summary>
    public async Task UndoAsync(MySqlSession session, CancellationToken cancellationToken)
    {
        if (moved.Count == 0)
        {
            return;
        }

        await session.ExecuteAsync("SET SESSION foreign_key_checks = 0", null, cancellationToken).ConfigureAwait(false);
        for (var i = moved.Count - 1; i >= 0; i--)
        {
            await ReplaceAsync(session, moved[i].To, moved[i].From, cancellationToken).ConfigureAwait(false);
        }

        moved.Clear();
        await session.ExecuteAsync("SET SESSION foreign_key_checks = 1", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a process died in the cutover: keys pointing at the shadow go back to the original, and keys
    /// the original lost to the shadow go back to it (those the step itself adds to the shadow stay;
    /// null <paramref name="stepStatements"/>: the shadow is about to be dropped, only the children matter).
    /// <paramref name="originalOf"/> names the original of a shadow (a key may join two shadows of one cutover).
    /// </summary>
    public async Task RepairAsync(MySqlSession session, string shadow, IReadOnlyList<string>? stepStatements, Func<string, string> originalOf, CancellationToken cancellationToken)
    {
        var keys = await ReadAsync(session, shadow, cancellationToken).ConfigureAwait(false);
        var added = stepStatements is null ? null : string.Join("\n", stepStatements);
        foreach (var key in keys)
        {
            var own = key.Table == shadow;
            if (own && (added is null || added.Contains(writer.QuoteIdentifier(key.Name), StringComparison.Ordinal)))
            {
                continue;
            }

            moved.Add((key with { Table = originalOf(key.Table), ReferencedTable = originalOf(key.ReferencedTable) }, key));
        }

        await UndoAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops <paramref name="from"/> from its table and adds <paramref name="to"/> on its table: two statements, the name is the same.</summary>
    private async Task ReplaceAsync(MySqlSession session, MySqlForeignKey from, MySqlForeignKey to, CancellationToken cancellationToken)
    {
        var w = writer;
        await session.ExecuteAsync($"ALTER TABLE {w.QuoteIdentifier(from.Table)} DROP FOREIGN KEY {w.QuoteIdentifier(from.Name)}, ALGORITHM=INPLACE", null, cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            $"ALTER TABLE {w.QuoteIdentifier(to.Table)} ADD CONSTRAINT {w.QuoteIdentifier(to.Name)} FOREIGN KEY ({string.Join(", ", to.Columns.Select(w.QuoteIdentifier))}) "
            + $"REFERENCES {w.QuoteIdentifier(to.ReferencedTable)} ({string.Join(", ", to.ReferencedColumns.Select(w.QuoteIdentifier))}) ON DELETE {to.OnDelete} ON UPDATE {to.OnUpdate}, ALGORITHM=INPLACE",
            null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A catalog action, checked against the known keywords before it is written into an ALTER.</summary>
    private static string Action(string rule) =>
        Actions.FirstOrDefault(a => string.Equals(a, rule, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"unknown foreign key action '{rule}' in information_schema.REFERENTIAL_CONSTRAINTS");
}
