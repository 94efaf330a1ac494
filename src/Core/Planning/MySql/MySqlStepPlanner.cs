using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Dialects.MySql;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Rules;

namespace SchemaBuild.Core.Planning.MySql;

/// <summary>
/// MySQL/MariaDB steps. Every ALTER names its algorithm (<c>ALGORITHM=INSTANT</c>, or
/// <c>INPLACE, LOCK=NONE</c>) so the server refuses rather than silently copying. Changes to one
/// table are grouped into one ALTER per algorithm; anything that needs a rebuild becomes a single
/// ghost-copy step for that table.
/// </summary>
public sealed class MySqlStepPlanner : IStepPlanner
{
    private readonly EngineProfile engine;
    private readonly MySqlDdlWriter writer;
    private readonly MySqlPartitionPlanner partitions;

    public MySqlStepPlanner(EngineProfile engine)
    {
        this.engine = engine;
        writer = new MySqlDdlWriter(engine.Dialect);
        partitions = new MySqlPartitionPlanner(writer);
    }

    public IReadOnlyList<PlanStep> Plan(IReadOnlyList<OrderedChange> changes, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var steps = new List<PlanStep>();
        var i = 0;
        while (i < changes.Count)
        {
            var change = changes[i].Change;
            if (changes[i].Phase == PlanPhase.AlterTables && change.TableName is { } table)
            {
                // All of this table's changes in this phase, planned together.
                var group = new List<SchemaChange>();
                while (i < changes.Count && changes[i].Phase == PlanPhase.AlterTables && changes[i].Change.TableName == table)
                {
                    group.Add(changes[i].Change);
                    i++;
                }

                PlanTable(table, group, source, steps, diagnostics);
                continue;
            }

            steps.Add(PlanSingle(change, steps.Count + 1, source, diagnostics));
            i++;
        }

        MySqlGhostCopyForeignKeys.Check(steps, changes, source, diagnostics);
        return steps;
    }

    private PlanStep PlanSingle(SchemaChange change, int id, Schema source, ICollection<Diagnostic> diagnostics)
    {
        switch (change)
        {
            case CreateTable c:
                return Step(id, change, Strategy.Direct, LockLevel.None, writer.WriteTable(c.Table));
            case DropTable c:
                return Step(id, change, Strategy.Direct, LockLevel.Brief, "DROP TABLE " + writer.QuoteName(c.Table.Name));
            case CreateView c:
                return Step(id, change, Strategy.Direct, LockLevel.None, writer.WriteView(c.View));
            case ReplaceView c:
                return Step(id, change, Strategy.Direct, LockLevel.None, "CREATE OR REPLACE" + writer.WriteView(c.To).Substring("CREATE".Length));
            case DropView c:
                return Step(id, change, Strategy.Direct, LockLevel.None, "DROP VIEW " + writer.QuoteName(c.View.Name));
            case AddForeignKey c:
                // A foreign key added with checks on is a table copy; with checks off it is in place.
                // The server does not look at existing rows then: deploy counts the orphans first and refuses.
                var step = Step(id, change, Strategy.InPlace, LockLevel.Brief,
                    "SET SESSION foreign_key_checks = 0",
                    Alter(c.Table.Name, "ADD " + writer.WriteForeignKey(c.ForeignKey), Strategy.InPlace),
                    "SET SESSION foreign_key_checks = 1");
                return source.FindTable(c.Table.Name) is null || c.ForeignKey.ReferencedColumns.Count != c.ForeignKey.Columns.Count ? step : step with { Prechecks = EquatableList<StepPrecheck>.Of(OrphanCheck(c)) };
            case DropForeignKey c:
                return Step(id, change, InstantOr(Strategy.InPlace, engine.IsMariaDb), LockLevel.Brief,
                    Alter(c.Table.Name, "DROP FOREIGN KEY " + writer.QuoteIdentifier(c.ForeignKey.Name), InstantOr(Strategy.InPlace, engine.IsMariaDb)));
            case DropCheck c:
                return Step(id, change, InstantOr(Strategy.InPlace, engine.IsMariaDb), LockLevel.Brief,
                    Alter(c.Table.Name, "DROP CONSTRAINT " + writer.QuoteIdentifier(c.Check.Name), InstantOr(Strategy.InPlace, engine.IsMariaDb)));
            case DropIndex c:
                return Step(id, change, Strategy.InPlace, LockLevel.Brief, Alter(c.Table.Name, "DROP INDEX " + writer.QuoteIdentifier(c.Index.Name), Strategy.InPlace));
            case DropColumn c:
                return engine.InstantDropColumn
                    ? Step(id, change, Strategy.Instant, LockLevel.Brief, Alter(c.Table.Name, "DROP COLUMN " + writer.QuoteIdentifier(c.Column.Name), Strategy.Instant))
                    : GhostCopy(id, c.Table.Name, new[] { change }, new[] { "DROP COLUMN " + writer.QuoteIdentifier(c.Column.Name) }, source, diagnostics);
            case ChangeVerbatim c:
                return Step(id, change, Strategy.Direct, LockLevel.None,
                    VerbatimSteps.Statements(c, s => engine.CanReplace(s.Kind), s => s.Kind.ToUpperInvariant(), _ => System.Array.Empty<string>()).ToArray());
            default:
                // Namespaces, enum types, sequences and extensions do not exist in this dialect.
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.NoOnlineStrategy, $"{change.Kind} has no MySQL form", change.Span, change.ObjectName));
                return Step(id, change, Strategy.Direct, LockLevel.None);
        }
    }

    /// <summary>Counts the rows of an existing table whose key columns are all set but match no row of the referenced table.</summary>
    private StepPrecheck OrphanCheck(AddForeignKey change)
    {
        var key = change.ForeignKey;
        var child = writer.QuoteIdentifier("child_row");
        var parent = writer.QuoteIdentifier("parent_row");
        var notNull = key.Columns.Select(c => child + "." + writer.QuoteIdentifier(c) + " IS NOT NULL");
        var matches = key.Columns.Select((c, i) => parent + "." + writer.QuoteIdentifier(key.ReferencedColumns[i]) + " = " + child + "." + writer.QuoteIdentifier(c));
        var sql = "SELECT COUNT(*) FROM " + writer.QuoteName(change.Table.Name) + " AS " + child
            + " WHERE " + string.Join(" AND ", notNull)
            + " AND NOT EXISTS (SELECT 1 FROM " + writer.QuoteName(key.ReferencedTable) + " AS " + parent + " WHERE " + string.Join(" AND ", matches) + ")";
        var refusal = $"foreign key {key.Name} cannot be added to {change.Table.Name}: {{count}} row(s) have ({string.Join(", ", key.Columns)}) values with no match in {key.ReferencedTable} ({string.Join(", ", key.ReferencedColumns)}). "
            + "The server adds the key without checking existing rows, so deploy stopped before adding it: fix or delete those rows, then run deploy again (it resumes at this step).";
        return new StepPrecheck(sql, refusal);
    }

    /// <summary>Splits one table's changes by algorithm: one instant ALTER, one in-place ALTER, one ghost copy.</summary>
    private void PlanTable(QualifiedName table, List<SchemaChange> changes, Schema source, List<PlanStep> steps, ICollection<Diagnostic> diagnostics)
    {
        var buckets = new Dictionary<Strategy, (List<SchemaChange> Changes, List<string> Clauses)>();
        foreach (var change in changes)
        {
            if (change is ChangePartitioning)
            {
                continue;
            }

            var (strategy, clauses) = Classify(change);
            if (!buckets.TryGetValue(strategy, out var bucket))
            {
                bucket = (new List<SchemaChange>(), new List<string>());
                buckets[strategy] = bucket;
            }

            bucket.Changes.Add(change);
            bucket.Clauses.AddRange(clauses);
        }

        // Renames go first on their own (later clauses use the new names), then instant, in-place, copy.
        foreach (var strategy in new[] { Strategy.Direct, Strategy.Instant, Strategy.InPlace, Strategy.GhostCopy })
        {
            if (!buckets.TryGetValue(strategy, out var bucket))
            {
                continue;
            }

            var id = steps.Count + 1;
            if (strategy == Strategy.GhostCopy)
            {
                steps.Add(GhostCopy(id, table, bucket.Changes, bucket.Clauses, source, diagnostics));
            }
            else if (strategy == Strategy.Direct)
            {
                steps.Add(new PlanStep(id, table.ToString(), KindOf(bucket.Changes), Strategy.Direct, bucket.Clauses.ToEquatableList())
                {
                    Changes = bucket.Changes.ToEquatableList(),
                    Lock = LockLevel.Brief,
                });
            }
            else
            {
                steps.Add(new PlanStep(id, ObjectOf(bucket.Changes, table), KindOf(bucket.Changes), strategy,
                    EquatableList<string>.Of(Alter(table, string.Join(", ", bucket.Clauses), strategy)))
                {
                    Changes = bucket.Changes.ToEquatableList(),
                    Lock = LockLevel.Brief,
                });
            }
        }

        // Partition clauses stand alone in an ALTER TABLE, after the table's other changes.
        foreach (var change in changes.OfType<ChangePartitioning>())
        {
            steps.Add(PlanPartitioning(steps.Count + 1, change, source, diagnostics));
        }
    }

    /// <summary>
    /// Partitions added, reorganized or coalesced run directly (the server moves the affected
    /// partitions' rows under a lock); a new scheme rebuilds the table as a ghost copy.
    /// </summary>
    private PlanStep PlanPartitioning(int id, ChangePartitioning change, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var (clause, rebuild) = partitions.Clause(change);
        if (rebuild)
        {
            var step = GhostCopy(id, change.To.Name, new SchemaChange[] { change }, System.Array.Empty<string>(), source, diagnostics);
            return step with { Sql = EquatableList<string>.Of("ALTER TABLE " + writer.QuoteName(change.To.Name) + " ALGORITHM=COPY, LOCK=SHARED " + clause) };
        }

        return Step(id, change, Strategy.Direct, LockLevel.Exclusive, "ALTER TABLE " + writer.QuoteName(change.To.Name) + " " + clause);
    }

    /// <summary>The cheapest algorithm for one change and its ALTER TABLE clauses (renames: whole statements).</summary>
    private (Strategy Strategy, IEnumerable<string> Clauses) Classify(SchemaChange change)
    {
        switch (change)
        {
            case RenameTable c:
                // ALTER TABLE ... RENAME works everywhere, including under LOCK TABLES on MariaDB.
                return (Strategy.Direct, new[] { "ALTER TABLE " + writer.QuoteName(c.From) + " RENAME TO " + writer.QuoteName(c.Table.Name) });
            case RenameColumn c:
                return (engine.InstantRenameColumn ? Strategy.Instant : Strategy.GhostCopy,
                    new[] { "RENAME COLUMN " + writer.QuoteIdentifier(c.From) + " TO " + writer.QuoteIdentifier(c.Column.Name) });
            case AddColumn c:
                var position = c.AtEnd ? string.Empty : c.After is null ? " FIRST" : " AFTER " + writer.QuoteIdentifier(c.After);
                var instant = (c.AtEnd ? engine.InstantAddColumnAtEnd : engine.InstantAddColumnAnywhere)
                              && !c.Column.AutoIncrement && c.Column.Generated is not { Stored: true };
                return (instant ? Strategy.Instant : Strategy.GhostCopy, new[] { "ADD COLUMN " + writer.WriteColumn(c.Column) + position });
            case AlterColumn c:
                return (AlterColumnStrategy(c), AlterColumnClauses(c));
            case ReorderColumns c:
                return (engine.InstantReorderColumns ? Strategy.Instant : Strategy.GhostCopy, ReorderClauses(c));
            case AddIndex c:
                var online = c.Index.Kind is IndexKind.Regular or IndexKind.Unique;
                return (online ? Strategy.InPlace : Strategy.GhostCopy, new[] { "ADD " + writer.WriteIndex(c.Index) });
            case DropIndex c:
                return (Strategy.InPlace, new[] { "DROP INDEX " + writer.QuoteIdentifier(c.Index.Name) });
            case RenameTableElement c:
                return RenameElement(c);
            case ChangePrimaryKey c:
                var clauses = new List<string>();
                if (c.From is not null)
                {
                    clauses.Add("DROP PRIMARY KEY");
                }

                if (c.To is not null)
                {
                    clauses.Add("ADD " + writer.WritePrimaryKey(c.To));
                }

                return (Strategy.GhostCopy, clauses);
            case AddCheck c:
                // The server validates a new CHECK by copying the table.
                return (Strategy.GhostCopy, new[] { "ADD " + writer.WriteCheck(c.Check) });
            case DropCheck c:
                return (InstantOr(Strategy.InPlace, engine.IsMariaDb), new[] { "DROP CONSTRAINT " + writer.QuoteIdentifier(c.Check.Name) });
            case AlterTableOptions c:
                return TableOptionsChange(c);
            default:
                return (Strategy.GhostCopy, new[] { "FORCE" });
        }
    }

    /// <summary>Indexes rename in place; MySQL cannot rename constraints, so those are dropped and added again.</summary>
    private (Strategy, IEnumerable<string>) RenameElement(RenameTableElement c)
    {
        switch (c.Element)
        {
            case TableElementKind.Index:
                return (Strategy.InPlace, new[] { "RENAME INDEX " + writer.QuoteIdentifier(c.From) + " TO " + writer.QuoteIdentifier(c.To) });
            case TableElementKind.Check:
                return (Strategy.GhostCopy, new[] { "DROP CONSTRAINT " + writer.QuoteIdentifier(c.From), "ADD " + writer.WriteCheck(c.Table.Checks.First(x => x.Name == c.To)) });
            default:
                // A primary key is always PRIMARY here; foreign keys are re-added like new ones.
                return (Strategy.GhostCopy, new[] { "DROP FOREIGN KEY " + writer.QuoteIdentifier(c.From), "ADD " + writer.WriteForeignKey(c.Table.ForeignKeys.First(f => f.Name == c.To)) });
        }
    }

    private (Strategy, IEnumerable<string>) TableOptionsChange(AlterTableOptions c)
    {
        var from = c.From.Options;
        var to = c.To.Options;
        var clauses = new List<string>();
        var rebuild = from.Engine != to.Engine || from.RowFormat != to.RowFormat || !from.Other.Equals(to.Other);
        if (from.Engine != to.Engine && to.Engine is not null)
        {
            clauses.Add("ENGINE=" + to.Engine);
        }

        if (from.RowFormat != to.RowFormat)
        {
            clauses.Add("ROW_FORMAT=" + (to.RowFormat ?? "DEFAULT"));
        }

        foreach (var option in to.Other.Where(o => !from.Other.Contains(o)))
        {
            clauses.Add(option.Name.ToUpperInvariant() + "=" + option.Value);
        }

        if (from.Charset != to.Charset || from.Collation != to.Collation)
        {
            // Only the table default changes; columns keep their explicit character sets.
            clauses.Add("DEFAULT CHARSET=" + to.Charset + (to.Collation is null ? string.Empty : " COLLATE=" + to.Collation));
        }

        if (c.From.Comment != c.To.Comment)
        {
            clauses.Add("COMMENT=" + writer.QuoteLiteral(c.To.Comment ?? string.Empty));
        }

        return (rebuild ? Strategy.GhostCopy : Strategy.Instant, clauses);
    }

    private Strategy AlterColumnStrategy(AlterColumn c)
    {
        var copy = ColumnAspects.Generated | ColumnAspects.Charset | ColumnAspects.AutoIncrement | ColumnAspects.Invisible;
        if ((c.Aspects & copy) != 0)
        {
            return Strategy.GhostCopy;
        }

        if (c.Changes(ColumnAspects.Nullability))
        {
            // Either direction rebuilds the table (in place, but as one long statement that replicas replay serially).
            return Strategy.GhostCopy;
        }

        if (c.Changes(ColumnAspects.Type) && !TypeChangeIsMetadataOnly(c.From, c.To))
        {
            return Strategy.GhostCopy;
        }

        if (c.Changes(ColumnAspects.Type) && c.From.Type.Name == "varchar" && !engine.InstantVarcharGrowth)
        {
            return Strategy.InPlace;
        }

        return Strategy.Instant;
    }

    private IEnumerable<string> AlterColumnClauses(AlterColumn c)
    {
        var name = writer.QuoteIdentifier(c.To.Name);
        if (c.Aspects == ColumnAspects.Default)
        {
            return new[]
            {
                c.To.Default is null
                    ? "ALTER COLUMN " + name + " DROP DEFAULT"
                    : "ALTER COLUMN " + name + " SET DEFAULT " + writer.WriteDefault(c.To.Default, c.To.Type),
            };
        }

        return new[] { "MODIFY COLUMN " + writer.WriteColumn(c.To) };
    }

    /// <summary>VARCHAR growth within the same length-byte size, ENUM/SET members appended within the same storage size.</summary>
    private static bool TypeChangeIsMetadataOnly(Column from, Column to)
    {
        var a = from.Type;
        var b = to.Type;
        if (a.Name != b.Name || a.Unsigned != b.Unsigned || a.Zerofill != b.Zerofill)
        {
            return false;
        }

        switch (a.Name)
        {
            case "varchar":
            case "varbinary":
                var bytesPerChar = a.Name == "varbinary" ? 1 : MySqlNames.MaxBytesPerChar(to.Charset);
                var oldBytes = (a.Length ?? 0) * bytesPerChar;
                var newBytes = (b.Length ?? 0) * bytesPerChar;
                return newBytes >= oldBytes && (oldBytes > 255 || newBytes <= 255);
            case "enum":
            case "set":
                var appended = b.Values.Count >= a.Values.Count && a.Values.SequenceEqual(b.Values.Take(a.Values.Count));
                return appended && StorageBytes(a) == StorageBytes(b);
            default:
                return false;
        }
    }

    private static int StorageBytes(DataType type) => type.Name == "enum"
        ? (type.Values.Count <= 255 ? 1 : 2)
        : (type.Values.Count + 7) / 8 switch { <= 1 => 1, 2 => 2, 3 => 3, <= 4 => 4, _ => 8 };

    private IEnumerable<string> ReorderClauses(ReorderColumns c)
    {
        string? previous = null;
        foreach (var column in c.To.Columns)
        {
            if (c.From.FindColumn(column.Name) is not null)
            {
                yield return "MODIFY COLUMN " + writer.WriteColumn(column) + (previous is null ? " FIRST" : " AFTER " + writer.QuoteIdentifier(previous));
            }

            previous = column.Name;
        }
    }

    private PlanStep GhostCopy(int id, QualifiedName table, IReadOnlyCollection<SchemaChange> changes, IEnumerable<string> clauses, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var original = source.FindTable(table) ?? changes.OfType<RenameTable>().Select(r => source.FindTable(r.From)).FirstOrDefault();
        var objectName = table.ToString();
        GhostCopyCheck.Report(original, objectName, string.Join(", ", changes.Select(c => c.Kind).Distinct()), changes.First().Span, "binlog capture", diagnostics);

        return new PlanStep(id, objectName, KindOf(changes), Strategy.GhostCopy,
            EquatableList<string>.Of("ALTER TABLE " + writer.QuoteName(table) + " " + string.Join(", ", clauses) + ", ALGORITHM=COPY, LOCK=SHARED"))
        {
            Changes = changes.ToEquatableList(),
            Lock = LockLevel.Brief,
            RewritesTable = true,
            Table = table,
        };
    }

    private string Alter(QualifiedName table, string clauses, Strategy strategy) =>
        "ALTER TABLE " + writer.QuoteName(table) + " " + clauses + (strategy == Strategy.Instant ? ", ALGORITHM=INSTANT" : ", ALGORITHM=INPLACE, LOCK=NONE");

    private static Strategy InstantOr(Strategy fallback, bool instant) => instant ? Strategy.Instant : fallback;

    private static PlanStep Step(int id, SchemaChange change, Strategy strategy, LockLevel lockLevel, params string[] sql) =>
        new(id, change.ObjectName, change.Kind, strategy, sql.ToEquatableList())
        {
            Changes = EquatableList<SchemaChange>.Of(change),
            Lock = lockLevel,
        };

    private static string KindOf(IReadOnlyCollection<SchemaChange> changes) =>
        changes.Count == 1 ? changes.First().Kind : "alter-table";

    private static string ObjectOf(IReadOnlyCollection<SchemaChange> changes, QualifiedName table) =>
        changes.Count == 1 ? changes.First().ObjectName : table.ToString();

}
