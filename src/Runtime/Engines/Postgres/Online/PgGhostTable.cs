using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning.Postgres;

using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>One column copied from the original to the shadow: its name in each, and each side's type as the server prints it.</summary>
internal sealed record PgGhostColumn(string Name, string SourceName, string SourceType, string ShadowType)
{
    public bool Converts => !string.Equals(SourceType, ShadowType, StringComparison.Ordinal);
}

/// <summary>
/// One table of a ghost copy: the original, its shadow built from the plan's target definition,
/// the column mapping (kept, renamed, converted; added columns fill from their default, identity
/// or generation expression; dropped columns are not copied) and the key the copy walks along.
/// </summary>
internal sealed class PgGhostTable
{
    public PgGhostTable(QualifiedName original, QualifiedName shadow, IReadOnlyList<PgGhostColumn> columns, IReadOnlyList<PgGhostColumn> key, IReadOnlyDictionary<string, string> indexNames)
    {
        Original = original;
        Shadow = shadow;
        Changelog = shadow;
        Old = shadow;
        Pending = shadow;
        Columns = columns;
        Key = key;
        IndexNames = indexNames;
    }

    public QualifiedName Original { get; }

    public QualifiedName Shadow { get; }

    /// <summary>The table of marker rows, read back from the stream.</summary>
    public QualifiedName Changelog { get; init; }

    /// <summary>The name the original keeps after the swap.</summary>
    public QualifiedName Old { get; init; }

    /// <summary>Every column the shadow takes from the original.</summary>
    public IReadOnlyList<PgGhostColumn> Columns { get; }

    /// <summary>The copy key (primary key, or the replica identity index), in index order.</summary>
    public IReadOnlyList<PgGhostColumn> Key { get; }

    /// <summary>Shadow index (and constraint) name → its name in the target, applied at cutover.</summary>
    public IReadOnlyDictionary<string, string> IndexNames { get; }

    /// <summary>The shadow's indexes built after the bulk copy (<see cref="DeferIndexes"/>).</summary>
    public IReadOnlyList<PgDeferredIndex> Deferred { get; init; } = Array.Empty<PgDeferredIndex>();

    /// <summary>The shadow's primary key, added after the bulk copy (<see cref="DeferPrimaryKey"/>); null when it is built with the table.</summary>
    public PgDeferredIndex? DeferredKey { get; init; }

    /// <summary>The keys changed while the shadow has no primary key yet, applied when it is built (one text column per key column).</summary>
    public QualifiedName Pending { get; init; }

    /// <summary>
    /// False while the shadow's primary key is not built (the bulk copy): the applier then records changed keys in
    /// <see cref="Pending"/>, since the shadow has no index to find their rows by.
    /// </summary>
    public bool KeyBuilt { get; set; } = true;

    /// <summary>The checksum hashes rows as records (<see cref="PgChecksum.HashesRecordsAsync"/>), not their text.</summary>
    public bool HashesRecords { get; set; }

    /// <summary>This table with its changelog, old-table and pending-keys names.</summary>
    public PgGhostTable With(QualifiedName changelog, QualifiedName old, QualifiedName? pending = null) =>
        new(Original, Shadow, Columns, Key, IndexNames) { Changelog = changelog, Old = old, Pending = pending ?? Pending, Deferred = Deferred, DeferredKey = DeferredKey, KeyBuilt = KeyBuilt, HashesRecords = HashesRecords };

    public static string NoKey(QualifiedName table) =>
        $"{table} has no primary key and no replica identity index: its changes cannot be matched to rows of the shadow. Add a primary key (or ALTER TABLE ... REPLICA IDENTITY USING INDEX on a unique index of non-null columns) and deploy again.";

    public PgGhostColumn? Column(string sourceName) => Columns.FirstOrDefault(c => c.SourceName == sourceName);

    /// <summary>
    /// The shadow's definition: the target table under the shadow's name, with index and
    /// constraint-index names made unique (they share the schema's namespace with the original's)
    /// and foreign keys to itself pointing at the shadow.
    /// </summary>
    public static (Table Table, Dictionary<string, string> IndexNames) ShadowDefinition(Table target, QualifiedName shadow, string token)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Rename(string name)
        {
            var temporary = PgGhostNames.Truncate($"_sbg_{token}_{names.Count}");
            names[temporary] = name;
            return temporary;
        }

        var primaryKey = target.PrimaryKey is null ? null : target.PrimaryKey with { Name = Rename(target.PrimaryKey.Name) };
        var indexes = target.Indexes.Select(i => i with { Name = Rename(i.Name) }).ToEquatableList();
        var foreignKeys = target.ForeignKeys.Select(f => f.ReferencedTable == target.Name ? f with { ReferencedTable = shadow } : f).ToEquatableList();
        return (target with { Name = shadow, PrimaryKey = primaryKey, Indexes = indexes, ForeignKeys = foreignKeys }, names);
    }

    /// <summary>
    /// The shadow without its primary key, and the statement that adds it once the bulk copy is done. The slot's
    /// walsender reads every WAL record of the copy while it decodes, and filling the shadow through its primary
    /// key writes one index record per row, most of the records of a COPY (1M rows: the decode took 2.7-5.7 s with
    /// the key, 0.8-1.0 s without it; adding the key after took 1.4-1.8 s and writes whole index pages). Kept
    /// with the table when a foreign key of the table to itself needs it.
    /// </summary>
    public static (Table Now, PgDeferredIndex? Later) DeferPrimaryKey(Table shadow, IDdlWriter writer)
    {
        if (shadow.PrimaryKey is not { } key || shadow.ForeignKeys.Any(f => f.ReferencedTable == shadow.Name))
        {
            return (shadow, null);
        }

        var add = "ALTER TABLE " + writer.QuoteName(shadow.Name) + " ADD CONSTRAINT " + writer.QuoteIdentifier(key.Name)
            + " PRIMARY KEY (" + string.Join(", ", key.Parts.Select(p => writer.QuoteIdentifier(p.Column!))) + ")"
            + (key.Include.Count == 0 ? string.Empty : " INCLUDE (" + string.Join(", ", key.Include.Select(writer.QuoteIdentifier)) + ")");
        return (shadow with { PrimaryKey = null }, new PgDeferredIndex(shadow.Name with { Name = key.Name }, new[] { add }));
    }

    /// <summary>
    /// Splits the shadow's definition into what is created before the copy and the indexes built after
    /// it: filling a table through its secondary indexes costs more than building them once over the
    /// filled table (1M rows, two indexes: 37.2 s and 396 MB of WAL in place, 20.4 s and 233 MB built
    /// after). Unique indexes and constraints stay: one of them may be the copy key the applier matches
    /// rows by, and a duplicate is then found while the copy runs. Each deferred index keeps the writer's
    /// statements (its CREATE INDEX and comment).
    /// </summary>
    public static (Table Now, IReadOnlyList<PgDeferredIndex> Later) DeferIndexes(Table shadow, IDdlWriter writer)
    {
        var later = shadow.Indexes.Where(i => !i.IsConstraint && i.Kind != IndexKind.Unique).ToList();
        if (later.Count == 0)
        {
            return (shadow, Array.Empty<PgDeferredIndex>());
        }

        var now = shadow with { Indexes = shadow.Indexes.Where(i => !later.Contains(i)).ToEquatableList() };
        var dialect = SqlDialects.For(DialectKind.Postgres);
        var created = dialect.SplitStatements(writer.WriteTable(now)).ToHashSet(StringComparer.Ordinal);
        return (now, later.Select(index => new PgDeferredIndex(
            shadow.Name with { Name = index.Name },
            dialect.SplitStatements(writer.WriteTable(now with { Indexes = now.Indexes.Append(index).ToEquatableList() })).Where(s => !created.Contains(s)).ToList())).ToList());
    }

    /// <summary>
    /// A primary key the step adds or changes (other columns than the copy key, or a key column converted to another
    /// type) is only built when the copy ends: a value it finds twice would fail that build after the whole copy. The
    /// original is probed first, its key columns converted like the copy converts them, and one duplicated value is
    /// named. Values are only read (the probe has no literal); key columns the shadow fills itself are not probed.
    /// </summary>
    public async Task ProbeDuplicateKeyAsync(PgSql sql, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken)
    {
        var parts = keyColumns.Select(c => Columns.FirstOrDefault(column => column.Name == c)).ToList();
        if (parts.Any(p => p is null) || (parts.All(p => !p!.Converts) && parts.Select(p => p!.SourceName).SequenceEqual(Key.Select(k => k.SourceName))))
        {
            return;
        }

        var values = parts.Select(p => PgCopyExpressions.FromSource(p!)).ToList();
        var rows = await sql.QueryAsync(
            "SELECT " + string.Join(", ", values.Select(v => v + "::text")) + ", count(*) FROM " + sql.Quote(Original)
            + " WHERE " + string.Join(" AND ", values.Select(v => v + " IS NOT NULL")) + " GROUP BY " + string.Join(", ", values) + " HAVING count(*) > 1 LIMIT 1",
            null, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 1)
        {
            var row = rows[0];
            throw new GhostCopyRefusedException(
                $"{Original}: the new primary key ({string.Join(", ", keyColumns)}) is not unique over the table's rows: ({string.Join(", ", parts.Select((_, i) => (string)row[i]!))}) "
                + $"occurs {row[^1]} times{(parts.Any(p => p!.Converts) ? " once converted to the new type" : string.Empty)}. Nothing was copied. Make those rows unique (or choose another key), then deploy again.");
        }
    }

    /// <summary>Reads both tables' columns from the server and maps them; fails with what to do when the copy cannot be exact.</summary>
    public static async Task<PgGhostTable> LoadAsync(PgSql sql, QualifiedName original, QualifiedName shadow, Table target, IReadOnlyDictionary<string, string> indexNames, CancellationToken cancellationToken)
    {
        var source = await ColumnsAsync(sql, original, cancellationToken).ConfigureAwait(false);
        var shadowColumns = await ColumnsAsync(sql, shadow, cancellationToken).ConfigureAwait(false);
        var columns = new List<PgGhostColumn>();
        foreach (var (name, type, generated) in shadowColumns)
        {
            if (generated)
            {
                continue; // computed by the shadow from the copied columns
            }

            var renamedFrom = target.FindColumn(name)?.Annotations.RenamedFrom;
            var from = source.FirstOrDefault(s => s.Name == name && !s.Generated);
            if (from.Name is null && renamedFrom is not null)
            {
                from = source.FirstOrDefault(s => s.Name == renamedFrom && !s.Generated);
            }

            if (from.Name is not null)
            {
                columns.Add(new PgGhostColumn(name, from.Name, from.Type, type));
            }
        }

        var keyNames = await KeyAsync(sql, original, cancellationToken).ConfigureAwait(false);
        if (keyNames.Count == 0)
        {
            throw new GhostCopyRefusedException(NoKey(original));
        }

        var key = new List<PgGhostColumn>();
        foreach (var name in keyNames)
        {
            key.Add(columns.FirstOrDefault(c => c.SourceName == name)
                ?? throw new GhostCopyRefusedException($"{original}: the copy key column {name} is not kept in the new definition, so rows cannot be matched; change the key in a separate deployment."));
        }

        var wanted = key.Select(k => k.Name).ToArray();
        if (!PostgresCopyKey.IsUniqueKeyOf(target, wanted))
        {
            throw new GhostCopyRefusedException(
                $"{original}: the new definition has no unique key on ({string.Join(", ", wanted)}), the key the copy and the change stream match rows by; keep that key in this deployment and change it in a later one.");
        }

        return new PgGhostTable(original, shadow, columns, key, indexNames);
    }

    internal static async Task<List<(string Name, string Type, bool Generated)>> ColumnsAsync(PgSql sql, QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await sql.QueryAsync(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attgenerated <> '' FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            new object?[] { sql.Writer.QuoteName(table) }, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => ((string)r[0]!, (string)r[1]!, (bool)r[2]!)).ToList();
    }

    /// <summary>Whether <paramref name="table"/> has its primary key (a shadow's is added when the bulk copy ends).</summary>
    public static async Task<bool> HasPrimaryKeyAsync(PgSql sql, QualifiedName table, CancellationToken cancellationToken) =>
        await sql.ScalarAsync("SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'p')", new object?[] { sql.Quote(table) }, cancellationToken).ConfigureAwait(false) is true;

    /// <summary>The columns pgoutput identifies a changed row by, as the table's replica identity says (<see cref="PostgresCopyKey"/>); empty when none.</summary>
    public static async Task<IReadOnlyList<string>> KeyAsync(PgSql sql, QualifiedName table, CancellationToken cancellationToken)
    {
        const string IndexColumns = "ARRAY(SELECT a.attname::text FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n) "
            + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = c.oid AND {0} ORDER BY k.n)";
        var rows = await sql.QueryAsync(
            "SELECT c.relreplident::text, " + string.Format(System.Globalization.CultureInfo.InvariantCulture, IndexColumns, "i.indisprimary") + ", "
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, IndexColumns, "i.indisreplident") + " FROM pg_class c WHERE c.oid = to_regclass($1)",
            new object?[] { sql.Writer.QuoteName(table) }, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0
            ? Array.Empty<string>()
            : PostgresCopyKey.Of(PostgresCopyKey.Parse((string)rows[0][0]!), (string[])rows[0][1]!, (string[])rows[0][2]!);
    }
}

/// <summary>A shadow index built after the bulk copy: its name and the statements that create it.</summary>
internal sealed record PgDeferredIndex(QualifiedName Name, IReadOnlyList<string> Statements);
