using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Dialects.Postgres;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Planning.Postgres;

/// <summary>
/// PostgreSQL steps in their online forms: indexes <c>CONCURRENTLY</c> outside a transaction,
/// constraints <c>NOT VALID</c> then <c>VALIDATE</c>, SET NOT NULL through a validated CHECK,
/// volatile defaults as add + backfill, UNIQUE through a concurrent index. Changes that rewrite
/// the table become ghost copies.
/// </summary>
public sealed class PostgresStepPlanner : IStepPlanner
{
    // Functions whose value changes per row: a default using one rewrites the table on ADD COLUMN.
    private static readonly Regex Volatile = new(@"\b(random|nextval|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday|txid_current|setval)\s*\(", RegexOptions.IgnoreCase);

    // The source's table names, once per table list, for OWNED BY lookups.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EquatableList<Table>, HashSet<string>> SourceTableNames = new();

    private readonly EngineProfile engine;
    private readonly PostgresDdlWriter writer = new();

    public PostgresStepPlanner(EngineProfile engine) => this.engine = engine;

    public IReadOnlyList<PlanStep> Plan(IReadOnlyList<OrderedChange> changes, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var steps = new List<PlanStep>();
        var newSequences = OwnedSequencesByTable(changes.Select(c => c.Change).OfType<CreateSequence>().Select(c => c.Sequence));
        foreach (var ordered in changes)
        {
            foreach (var step in PlanChange(ordered.Change, source, diagnostics, newSequences))
            {
                steps.Add(step with { Id = steps.Count + 1 });
            }
        }

        PostgresGhostCopyChecks.Check(steps, changes, source, diagnostics);
        return steps;
    }

    /// <summary>
    /// New owned sequences under every prefix of their OWNED BY that ends before a '.': a created table finds its sequences
    /// by its name in one lookup, not by a scan of all sequences per table.
    /// </summary>
    private static ILookup<string, Sequence> OwnedSequencesByTable(IEnumerable<Sequence> sequences) =>
        sequences.Where(s => s.OwnedBy is not null)
            .SelectMany(s => s.OwnedBy!.Select((c, i) => (c, i)).Where(x => x.c == '.').Select(x => (Table: s.OwnedBy!.Substring(0, x.i), Sequence: s)))
            .ToLookup(x => x.Table, x => x.Sequence, System.StringComparer.Ordinal);

    /// <summary>
    /// Whether the table of an OWNED BY (<c>table.column</c>, the table maybe schema-qualified) exists in the source: each prefix
    /// that ends before a '.' is looked up by name, not compared with every source table (many new sequences on a large schema).
    /// </summary>
    private static bool OwnerExists(Schema source, string ownedBy)
    {
        var names = SourceTableNames.GetValue(source.Tables, tables => new HashSet<string>(tables.Select(t => t.Name.ToString()), System.StringComparer.Ordinal));
        for (var dot = ownedBy.IndexOf('.'); dot >= 0; dot = ownedBy.IndexOf('.', dot + 1))
        {
            if (names.Contains(ownedBy.Substring(0, dot)))
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<PlanStep> PlanChange(SchemaChange change, Schema source, ICollection<Diagnostic> diagnostics, ILookup<string, Sequence> newSequences)
    {
        switch (change)
        {
            case CreateNamespace c:
                yield return Direct(change, LockLevel.None, "CREATE SCHEMA " + writer.QuoteIdentifier(c.Namespace.Name)
                    + (c.Namespace.Comment is null ? string.Empty : ";\nCOMMENT ON SCHEMA " + writer.QuoteIdentifier(c.Namespace.Name) + " IS " + writer.QuoteLiteral(c.Namespace.Comment)));
                break;
            case AlterNamespace c:
                yield return Direct(change, LockLevel.None, "COMMENT ON SCHEMA " + writer.QuoteIdentifier(c.To.Name) + " IS " + Literal(c.To.Comment));
                break;
            case DropNamespace c:
                yield return Direct(change, LockLevel.None, "DROP SCHEMA " + writer.QuoteIdentifier(c.Namespace.Name));
                break;
            case CreateExtension c:
                yield return Direct(change, LockLevel.None, "CREATE EXTENSION IF NOT EXISTS " + writer.QuoteIdentifier(c.Extension.Name)
                    + (c.Extension.Schema is null ? string.Empty : " WITH SCHEMA " + writer.QuoteIdentifier(c.Extension.Schema)));
                break;
            case DropExtension c:
                yield return Direct(change, LockLevel.None, "DROP EXTENSION " + writer.QuoteIdentifier(c.Extension.Name));
                break;
            case CreateEnumType c:
                yield return Direct(change, LockLevel.None, writer.WriteEnumType(c.Type));
                break;
            case AlterEnumType c:
                yield return AlterEnum(c, source);
                break;
            case DropEnumType c:
                yield return Direct(change, LockLevel.None, "DROP TYPE " + writer.QuoteName(c.Type.Name));
                break;
            case CreateSequence c:
                yield return Direct(change, LockLevel.None, writer.WriteSequence(c.Sequence)
                    + (c.Sequence.OwnedBy is not null && OwnerExists(source, c.Sequence.OwnedBy) ? ";\n" + writer.WriteSequenceOwner(c.Sequence) : string.Empty));
                break;
            case AlterSequence c:
                yield return Direct(change, LockLevel.None, writer.WriteAlterSequence(c.To));
                break;
            case DropSequence c:
                yield return Direct(change, LockLevel.None, "DROP SEQUENCE " + writer.QuoteName(c.Sequence.Name));
                break;
            case CreateTable c:
                // Sequences are created before their table; ownership can only be set once the column exists.
                var owners = newSequences[c.Table.Name.ToString()].Select(writer.WriteSequenceOwner);
                yield return Direct(change, LockLevel.None, writer.TableStatements(c.Table).Concat(owners).ToArray());
                break;
            case DropTable { Table.PartitionOf: { } parent } c:
                // Detached first, so dropping the partition's data never waits on or fails with the parent's other partitions.
                yield return Direct(change, LockLevel.Exclusive, "ALTER TABLE " + writer.QuoteName(parent) + " DETACH PARTITION " + writer.QuoteName(c.Table.Name), "DROP TABLE " + writer.QuoteName(c.Table.Name));
                break;
            case DropTable c:
                yield return Direct(change, LockLevel.Exclusive, "DROP TABLE " + writer.QuoteName(c.Table.Name));
                break;
            case ChangePartitioning { From.PartitionOf: { } parent } c when OnlyBoundChanged(c) && !(c.To.PartitionBound == "DEFAULT" && source.FindTable(parent)?.Partitioning?.Method == PartitionMethod.Hash):
                // Detached and attached again in one transaction: ATTACH checks every row against the new bound (and the default
                // partition's rows against it), so rows the new bound leaves out fail the step and nothing changes.
                yield return Direct(change, LockLevel.Exclusive,
                    "ALTER TABLE " + writer.QuoteName(parent) + " DETACH PARTITION " + writer.QuoteName(c.To.Name),
                    "ALTER TABLE " + writer.QuoteName(parent) + " ATTACH PARTITION " + writer.QuoteName(c.To.Name) + " " + (c.To.PartitionBound ?? "DEFAULT"));
                break;
            case ChangePartitioning c:
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.NoOnlineStrategy,
                    $"the partitioning of {c.To.Name} changed ({Layout(c.From)} -> {Layout(c.To)}); PostgreSQL cannot change a partition key, "
                    + "a partition's parent or bound, or INHERITS in place. Create the new layout as a new table and move the rows, "
                    + "or detach the partition and attach it again with the new bound, in a migration of your own",
                    c.To.Span,
                    c.ObjectName));
                break;
            case RenameTable c:
                yield return Direct(change, LockLevel.Brief, "ALTER TABLE " + writer.QuoteName(c.From) + " RENAME TO " + writer.QuoteIdentifier(c.Table.Name.Name));
                break;
            case AlterTableOptions c:
                yield return TableOptions(c, source, diagnostics);
                break;
            case AddColumn c:
                foreach (var step in AddColumn(c, source, diagnostics))
                {
                    yield return step;
                }

                break;
            case DropColumn c:
                yield return Direct(change, LockLevel.Brief, Alter(c.Table.Name, "DROP COLUMN " + writer.QuoteIdentifier(c.Column.Name)));
                break;
            case RenameColumn c:
                yield return Direct(change, LockLevel.Brief, Alter(c.Table.Name, "RENAME COLUMN " + writer.QuoteIdentifier(c.From) + " TO " + writer.QuoteIdentifier(c.Column.Name)));
                break;
            case AlterColumn c:
                foreach (var step in AlterColumn(c, source, diagnostics))
                {
                    yield return step;
                }

                break;
            case ReorderColumns c:
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.NoOnlineStrategy,
                    $"PostgreSQL cannot reorder the columns of {c.To.Name}; keep the existing order and add new columns at the end", c.Span, c.ObjectName));
                yield return Direct(change, LockLevel.None);
                break;
            case AddIndex c:
                yield return AddIndex(c, diagnostics);
                break;
            case DropIndex c:
                yield return c.Index.IsConstraint
                    ? Direct(change, LockLevel.Brief, Alter(c.Table.Name, "DROP CONSTRAINT " + writer.QuoteIdentifier(c.Index.Name)))
                    : NonTransactional(change, Strategy.Concurrent, "DROP INDEX CONCURRENTLY " + writer.QuoteName(new QualifiedName(c.Table.Name.Schema, c.Index.Name)));
                break;
            case ChangePrimaryKey c:
                foreach (var step in ChangePrimaryKey(c, diagnostics))
                {
                    yield return step;
                }

                break;
            case RenameTableElement c:
                yield return Direct(change, LockLevel.Brief, c.Element == TableElementKind.Index && !c.Table.Indexes.Any(i => i.Name == c.To && i.IsConstraint)
                    ? "ALTER INDEX " + writer.QuoteName(new QualifiedName(c.Table.Name.Schema, c.From)) + " RENAME TO " + writer.QuoteIdentifier(c.To)
                    : Alter(c.Table.Name, "RENAME CONSTRAINT " + writer.QuoteIdentifier(c.From) + " TO " + writer.QuoteIdentifier(c.To)));
                break;
            case AddForeignKey c when source.FindTable(c.Table.Name) is null && c.Table.Annotations.RenamedFrom is null:
                // Between tables created in this plan (a reference cycle split off): the table is empty, nothing to validate.
                yield return Direct(change, LockLevel.Brief, Alter(c.Table.Name, "ADD " + writer.WriteForeignKey(c.ForeignKey)));
                break;
            case AddForeignKey c:
                yield return NotValidThenValidate(change, c.Table.Name, writer.WriteForeignKey(c.ForeignKey), c.ForeignKey.Name, diagnostics);
                break;
            case DropForeignKey c:
                yield return Direct(change, LockLevel.Brief, Alter(c.Table.Name, "DROP CONSTRAINT " + writer.QuoteIdentifier(c.ForeignKey.Name)));
                break;
            case AddCheck c:
                yield return NotValidThenValidate(change, c.Table.Name, writer.WriteCheck(c.Check), c.Check.Name, diagnostics);
                break;
            case DropCheck c:
                yield return Direct(change, LockLevel.Brief, Alter(c.Table.Name, "DROP CONSTRAINT " + writer.QuoteIdentifier(c.Check.Name)));
                break;
            case CreateView c:
                yield return Direct(change, LockLevel.None, writer.WriteView(c.View).TrimEnd());
                break;
            case ReplaceView c:
                // CREATE OR REPLACE cannot drop or retype columns; drop and create in one transaction instead.
                yield return Direct(change, LockLevel.Brief, new[] { DropViewSql(c.From), writer.WriteView(c.To).TrimEnd() }.Concat(Regrants(source, c.From.Name)).ToArray());
                break;
            case DropView c:
                yield return Direct(change, LockLevel.Brief, DropViewSql(c.View));
                break;
            case ChangePrivileges c:
                yield return Direct(change, LockLevel.Brief, PostgresPrivileges.Statements(c, writer).ToArray());
                break;
            case ChangeVerbatim c:
                yield return Direct(change, LockLevel.None, VerbatimSteps.Statements(c, s => engine.CanReplace(s.Kind), DropKind, BeforeCreate).ToArray());
                break;
        }
    }

    /// <summary>The same partition of the same parent with a new bound: what DETACH and ATTACH PARTITION can change (a hash-partitioned parent has no default partition).</summary>
    private static bool OnlyBoundChanged(ChangePartitioning change) =>
        change.From.PartitionOf == change.To.PartitionOf && Equals(change.From.Partitioning, change.To.Partitioning)
        && change.From.Inherits.Equals(change.To.Inherits) && change.From.PartitionBound != change.To.PartitionBound;

    private string Layout(Table table) =>
        (table.Partitioning is null ? "not partitioned" : writer.PartitionBy(table.Partitioning).Trim())
        + (table.PartitionOf is null ? string.Empty : ", partition of " + table.PartitionOf + " " + table.PartitionBound)
        + (table.Inherits.Count == 0 ? string.Empty : ", inherits " + string.Join(", ", table.Inherits));

    private static string DropKind(VerbatimStatement statement) => statement.Kind == "CONSTRAINT TRIGGER" ? "TRIGGER" : statement.Kind;

    /// <summary>Routine bodies are not checked at creation (as pg_dump loads them): a SQL function may name a table created later in the plan.</summary>
    private static IEnumerable<string> BeforeCreate(VerbatimStatement statement) =>
        statement.Kind is "FUNCTION" or "PROCEDURE" ? new[] { "SET LOCAL check_function_bodies = off" } : System.Array.Empty<string>();

    private IEnumerable<PlanStep> AddColumn(AddColumn c, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var column = c.Column;
        if (column.Identity is not null || column.Generated is not null || (!engine.FastColumnDefaults && column.Default is not null))
        {
            // Identity and stored generated columns fill every row: a rewrite.
            yield return GhostCopy(c, c.Table.Name, source, diagnostics, Alter(c.Table.Name, "ADD COLUMN " + writer.WriteColumn(column)));
            yield break;
        }

        if (column.Default is { Kind: DefaultKind.Expression } value && Volatile.IsMatch(value.Value))
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.VolatileDefault,
                $"{c.ObjectName} has a volatile default ({value.Value}); adding it in one statement rewrites the table under an exclusive lock, so it is planned as add column, set default, then a batched backfill. Use a constant default if existing rows may share one; otherwise make sure the application tolerates NULL until the backfill ends, or acknowledge with '-- schema:allow SB4006 {c.ObjectName} \"reason\"'",
                c.Span, c.ObjectName));
            var table = writer.QuoteName(c.Table.Name);
            var name = writer.QuoteIdentifier(column.Name);
            var sql = new List<string>
            {
                Alter(c.Table.Name, "ADD COLUMN " + writer.WriteColumn(column with { Default = null, Nullable = true })),
                Alter(c.Table.Name, "ALTER COLUMN " + name + " SET DEFAULT " + value.Value),
                "UPDATE " + table + " SET " + name + " = DEFAULT WHERE " + name + " IS NULL",
            };
            if (!column.Nullable)
            {
                sql.AddRange(SetNotNullSql(c.Table.Name, column.Name));
            }

            yield return new PlanStep(0, c.ObjectName, c.Kind, Strategy.Direct, sql.ToEquatableList())
            {
                Changes = EquatableList<SchemaChange>.Of(c),
                Lock = LockLevel.Brief,
                Transactional = false,
            };
            yield break;
        }

        yield return Direct(c, LockLevel.Brief, Alter(c.Table.Name, "ADD COLUMN " + writer.WriteColumn(column)));
    }

    private IEnumerable<PlanStep> AlterColumn(AlterColumn c, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var rewrite = ColumnAspects.Generated | ColumnAspects.Charset;
        if ((c.Aspects & rewrite) != 0 || (c.Changes(ColumnAspects.Type) && !BinaryCoercible(c.From.Type, c.To.Type)))
        {
            yield return GhostCopy(c, c.Table.Name, source, diagnostics,
                Alter(c.Table.Name, "ALTER COLUMN " + writer.QuoteIdentifier(c.To.Name) + " TYPE " + writer.WriteType(c.To.Type)
                    + (c.To.Collation is null ? string.Empty : " COLLATE " + writer.QuoteIdentifier(c.To.Collation))
                    + " USING " + writer.QuoteIdentifier(c.To.Name) + "::" + writer.WriteType(c.To.Type)));
            yield break;
        }

        var name = writer.QuoteIdentifier(c.To.Name);
        var clauses = new List<string>();
        if (c.Changes(ColumnAspects.Type))
        {
            clauses.Add("ALTER COLUMN " + name + " TYPE " + writer.WriteType(c.To.Type));
        }

        if (c.Changes(ColumnAspects.Default))
        {
            clauses.Add(c.To.Default is null ? "ALTER COLUMN " + name + " DROP DEFAULT" : "ALTER COLUMN " + name + " SET DEFAULT " + writer.WriteDefault(c.To.Default));
        }

        if (c.Changes(ColumnAspects.Identity))
        {
            if (c.From.Identity is not null)
            {
                clauses.Add("ALTER COLUMN " + name + " DROP IDENTITY");
            }

            if (c.To.Identity is not null)
            {
                clauses.Add("ALTER COLUMN " + name + " ADD " + writer.WriteIdentity(c.To.Identity));
            }
        }

        if (c.Changes(ColumnAspects.Nullability) && c.To.Nullable)
        {
            clauses.Add("ALTER COLUMN " + name + " DROP NOT NULL");
        }

        var sql = new List<string>();
        if (clauses.Count > 0)
        {
            sql.Add(Alter(c.Table.Name, string.Join(", ", clauses)));
        }

        if (c.Changes(ColumnAspects.Comment))
        {
            sql.Add("COMMENT ON COLUMN " + writer.QuoteName(c.Table.Name) + "." + name + " IS " + Literal(c.To.Comment));
        }

        if (c.Changes(ColumnAspects.Nullability) && !c.To.Nullable)
        {
            var strategy = engine.NotNullFromValidatedCheck ? Strategy.NotValidValidate : Strategy.Direct;
            if (engine.NotNullFromValidatedCheck)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.NotNullViaCheck,
                    $"{c.ObjectName} SET NOT NULL is planned as CHECK NOT VALID, VALIDATE, SET NOT NULL, DROP CHECK: no full scan under an exclusive lock",
                    c.Span, c.ObjectName));
                sql.AddRange(SetNotNullSql(c.Table.Name, c.To.Name));
            }
            else
            {
                sql.Add(Alter(c.Table.Name, "ALTER COLUMN " + name + " SET NOT NULL"));
            }

            yield return new PlanStep(0, c.ObjectName, c.Kind, strategy, sql.ToEquatableList())
            {
                Changes = EquatableList<SchemaChange>.Of(c),
                Lock = LockLevel.Brief,
                Transactional = false,
            };
            yield break;
        }

        yield return Direct(c, LockLevel.Brief, sql.ToArray());
    }

    /// <summary>CHECK (col IS NOT NULL) NOT VALID, VALIDATE (no exclusive lock), SET NOT NULL (uses the check), drop the check.</summary>
    private IEnumerable<string> SetNotNullSql(QualifiedName table, string column)
    {
        var check = writer.QuoteIdentifier(Truncate(table.Name + "_" + column + "_not_null"));
        var name = writer.QuoteIdentifier(column);
        yield return Alter(table, "ADD CONSTRAINT " + check + " CHECK (" + name + " IS NOT NULL) NOT VALID");
        yield return Alter(table, "VALIDATE CONSTRAINT " + check);
        yield return Alter(table, "ALTER COLUMN " + name + " SET NOT NULL");
        yield return Alter(table, "DROP CONSTRAINT " + check);
    }

    private PlanStep AddIndex(AddIndex c, ICollection<Diagnostic> diagnostics)
    {
        diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.IndexConcurrently,
            $"index {c.Index.Name} is built CONCURRENTLY, outside a transaction: writes to {c.Table.Name} continue meanwhile", c.Span, c.ObjectName));
        var create = writer.WriteIndex(c.Table, c.Index with { IsConstraint = false, Kind = c.Index.IsConstraint ? IndexKind.Unique : c.Index.Kind }).TrimEnd().TrimEnd(';');
        var sql = new List<string> { InsertConcurrently(create) };
        if (c.Index.IsConstraint)
        {
            // UNIQUE constraint: build the index online, then attach it (a brief lock, no scan).
            sql.Add(Alter(c.Table.Name, "ADD CONSTRAINT " + writer.QuoteIdentifier(c.Index.Name) + " UNIQUE USING INDEX " + writer.QuoteIdentifier(c.Index.Name)));
        }

        return new PlanStep(0, c.ObjectName, c.Kind, Strategy.Concurrent, sql.ToEquatableList())
        {
            Changes = EquatableList<SchemaChange>.Of(c),
            Lock = LockLevel.None,
            Transactional = false,
        };
    }

    private IEnumerable<PlanStep> ChangePrimaryKey(ChangePrimaryKey c, ICollection<Diagnostic> diagnostics)
    {
        var sql = new List<string>();
        if (c.From is not null)
        {
            sql.Add(Alter(c.Table.Name, "DROP CONSTRAINT " + writer.QuoteIdentifier(c.From.Name)));
        }

        if (c.To is not null)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.IndexConcurrently,
                $"primary key {c.To.Name} is built as a unique index CONCURRENTLY, then attached", c.Span, c.ObjectName));
            var columns = string.Join(", ", c.To.Parts.Select(p => writer.QuoteIdentifier(p.Column!)));
            sql.Add("CREATE UNIQUE INDEX CONCURRENTLY " + writer.QuoteIdentifier(c.To.Name) + " ON " + writer.QuoteName(c.Table.Name) + " (" + columns + ")");
            sql.Add(Alter(c.Table.Name, "ADD CONSTRAINT " + writer.QuoteIdentifier(c.To.Name) + " PRIMARY KEY USING INDEX " + writer.QuoteIdentifier(c.To.Name)));
        }

        yield return new PlanStep(0, c.ObjectName, c.Kind, c.To is null ? Strategy.Direct : Strategy.Concurrent, sql.ToEquatableList())
        {
            Changes = EquatableList<SchemaChange>.Of(c),
            Lock = LockLevel.Brief,
            Transactional = false,
        };
    }

    private PlanStep NotValidThenValidate(SchemaChange change, QualifiedName table, string constraint, string name, ICollection<Diagnostic> diagnostics)
    {
        diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.NotValidValidate,
            $"{name} is added NOT VALID (brief lock), then validated with VALIDATE CONSTRAINT, which lets reads and writes continue", change.Span, change.ObjectName));
        return new PlanStep(0, change.ObjectName, change.Kind, Strategy.NotValidValidate,
            EquatableList<string>.Of(Alter(table, "ADD " + constraint + " NOT VALID"), Alter(table, "VALIDATE CONSTRAINT " + writer.QuoteIdentifier(name))))
        {
            Changes = EquatableList<SchemaChange>.Of(change),
            Lock = LockLevel.Brief,
            Transactional = false,
        };
    }

    private PlanStep AlterEnum(AlterEnumType c, Schema source)
    {
        var from = c.From.Labels;
        var to = c.To.Labels;
        if (from.All(to.Contains) && from.SequenceEqual(to.Where(from.Contains)))
        {
            // Only additions: ADD VALUE keeps existing rows; it cannot run inside a transaction block before 12.
            var sql = new List<string>();
            for (var i = 0; i < to.Count; i++)
            {
                if (from.Contains(to[i]))
                {
                    continue;
                }

                var anchor = i + 1 < to.Count && from.Contains(to[i + 1]) ? " BEFORE " + writer.QuoteLiteral(to[i + 1]) : i > 0 ? " AFTER " + writer.QuoteLiteral(to[i - 1]) : string.Empty;
                sql.Add("ALTER TYPE " + writer.QuoteName(c.To.Name) + " ADD VALUE " + writer.QuoteLiteral(to[i]) + anchor);
            }

            if (c.From.Comment != c.To.Comment)
            {
                sql.Add("COMMENT ON TYPE " + writer.QuoteName(c.To.Name) + " IS " + Literal(c.To.Comment));
            }

            return new PlanStep(0, c.ObjectName, c.Kind, Strategy.Direct, sql.ToEquatableList()) { Changes = EquatableList<SchemaChange>.Of(c), Lock = LockLevel.None };
        }

        // Labels removed or reordered: recreate the type and convert every column that uses it.
        var old = writer.QuoteName(new QualifiedName(c.To.Name.Schema, c.To.Name.Name + "_old"));
        var statements = new List<string> { "ALTER TYPE " + writer.QuoteName(c.To.Name) + " RENAME TO " + writer.QuoteIdentifier(c.To.Name.Name + "_old"), writer.WriteEnumType(c.To).TrimEnd().TrimEnd(';') };
        foreach (var table in source.Tables)
        {
            foreach (var column in table.Columns.Where(col => col.Type.Name == c.To.Name.Name && (col.Type.TypeSchema ?? "public") == (c.To.Name.Schema ?? "public")))
            {
                var name = writer.QuoteIdentifier(column.Name);
                statements.Add(Alter(table.Name, "ALTER COLUMN " + name + " TYPE " + writer.QuoteName(c.To.Name) + " USING " + name + "::text::" + writer.QuoteName(c.To.Name)));
            }
        }

        statements.Add("DROP TYPE " + old);
        return new PlanStep(0, c.ObjectName, c.Kind, Strategy.Direct, statements.ToEquatableList())
        {
            Changes = EquatableList<SchemaChange>.Of(c),
            Lock = LockLevel.Exclusive,
            RewritesTable = statements.Count > 3,
            Transactional = true,
        };
    }

    private PlanStep TableOptions(AlterTableOptions c, Schema source, ICollection<Diagnostic> diagnostics)
    {
        var from = c.From.Options;
        var to = c.To.Options;
        var sql = new List<string>();
        if (from.Unlogged != to.Unlogged)
        {
            return GhostCopy(c, c.To.Name, source, diagnostics, Alter(c.To.Name, to.Unlogged ? "SET UNLOGGED" : "SET LOGGED"));
        }

        if (!from.Other.Equals(to.Other))
        {
            var removed = from.Other.Where(o => !to.Other.Any(n => n.Name == o.Name)).Select(o => o.Name).ToList();
            if (removed.Count > 0)
            {
                sql.Add(Alter(c.To.Name, "RESET (" + string.Join(", ", removed) + ")"));
            }

            if (to.Other.Count > 0)
            {
                sql.Add(Alter(c.To.Name, "SET (" + string.Join(", ", to.Other.Select(o => o.Name + "=" + writer.QuoteLiteral(o.Value))) + ")"));
            }
        }

        if (c.From.Comment != c.To.Comment)
        {
            sql.Add("COMMENT ON TABLE " + writer.QuoteName(c.To.Name) + " IS " + Literal(c.To.Comment));
        }

        return Direct(c, LockLevel.Brief, sql.ToArray());
    }

    private PlanStep GhostCopy(SchemaChange change, QualifiedName table, Schema source, ICollection<Diagnostic> diagnostics, params string[] sql)
    {
        GhostCopyCheck.Report(source.FindTable(table), change.ObjectName, change.Kind, change.Span, "logical replication", diagnostics);

        return new PlanStep(0, change.ObjectName, change.Kind, Strategy.GhostCopy, sql.ToEquatableList())
        {
            Changes = EquatableList<SchemaChange>.Of(change),
            Lock = LockLevel.Brief,
            RewritesTable = true,
            Transactional = true,
            Table = table,
        };
    }

    /// <summary>Type changes PostgreSQL makes without rewriting: longer varchar, dropped length limit, more numeric precision at the same scale.</summary>
    private static bool BinaryCoercible(DataType from, DataType to)
    {
        if (from.ArrayDimensions != to.ArrayDimensions)
        {
            return false;
        }

        if (from.Name == to.Name)
        {
            return from.Name switch
            {
                "character varying" or "bit varying" => to.Length is null || (from.Length is not null && to.Length >= from.Length),
                "numeric" => to.Precision is null || (from.Precision is not null && to.Precision >= from.Precision && to.Scale == from.Scale),
                "timestamp with time zone" or "timestamp without time zone" or "time without time zone" or "interval" =>
                    (to.Precision ?? 6) >= (from.Precision ?? 6),
                _ => false,
            };
        }

        return (from.Name is "character varying" or "text") && to.Name is "text" or "character varying" && to.Length is null;
    }

    /// <summary>
    /// The grants an object had before it was dropped and created again (a new object starts with the default access list):
    /// given back in the same step, so a later change of its grants works from them.
    /// </summary>
    private IEnumerable<string> Regrants(Schema source, QualifiedName name) =>
        source.Privileges.FirstOrDefault(p => p.ObjectKind == "TABLE" && p.Object == name) is { } held
            ? PostgresPrivileges.Statements(new ChangePrivileges(null, held), writer)
            : Enumerable.Empty<string>();

    private string DropViewSql(View view) => (view.Materialized ? "DROP MATERIALIZED VIEW " : "DROP VIEW ") + writer.QuoteName(view.Name);

    private string Alter(QualifiedName table, string clause) => "ALTER TABLE " + writer.QuoteName(table) + " " + clause;

    private string Literal(string? text) => text is null ? "NULL" : writer.QuoteLiteral(text);

    private static string InsertConcurrently(string createIndex) =>
        createIndex.StartsWith("CREATE UNIQUE INDEX ", System.StringComparison.Ordinal)
            ? "CREATE UNIQUE INDEX CONCURRENTLY " + createIndex.Substring("CREATE UNIQUE INDEX ".Length)
            : "CREATE INDEX CONCURRENTLY " + createIndex.Substring("CREATE INDEX ".Length);

    private static string Truncate(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        return bytes.Length <= 63 ? name : System.Text.Encoding.UTF8.GetString(bytes, 0, 63).TrimEnd('\uFFFD');
    }

    /// <summary>
    /// Splits writer output holding several statements at top-level semicolons (the lexer knows strings, comments and BEGIN
    /// ATOMIC bodies). Text without a semicolon or a comment is one statement whatever it holds, and most writer output is:
    /// lexing it again would cost a good part of a large plan.
    /// </summary>
    private static IEnumerable<string> Statements(string sql) =>
        sql.IndexOf(';') < 0 && sql.IndexOf("--", System.StringComparison.Ordinal) < 0 && sql.IndexOf("/*", System.StringComparison.Ordinal) < 0
            ? new[] { sql.Trim() }
            : StatementSplitter.Split(PostgresLexer.Lex(new Syntax.SourceFile("plan", sql)), PostgresDialect.StatementEnd);

    private static PlanStep Direct(SchemaChange change, LockLevel lockLevel, params string[] sql) =>
        new(0, change.ObjectName, change.Kind, Strategy.Direct, sql.SelectMany(Statements).Where(s => s.Length > 0).ToEquatableList())
        {
            Changes = EquatableList<SchemaChange>.Of(change),
            Lock = lockLevel,
            Transactional = true,
        };

    private static PlanStep NonTransactional(SchemaChange change, Strategy strategy, params string[] sql) =>
        new(0, change.ObjectName, change.Kind, strategy, sql.ToEquatableList())
        {
            Changes = EquatableList<SchemaChange>.Of(change),
            Lock = LockLevel.None,
            Transactional = false,
        };
}
