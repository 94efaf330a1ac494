using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

// CREATE TABLE, its columns and constraints, and the ALTER forms pg_dump uses to add constraints,
// defaults, identities and sequence ownership after the tables.
internal sealed partial class PostgresStatementParser
{
    private void CreateTable(Token create, bool unlogged)
    {
        cursor.ExpectWord("table");
        IfNotExists();
        var nameToken = cursor.Current;
        var name = Name("a table name");
        statementObject = name;
        var table = new Table(name) { Span = Span(nameToken), Annotations = annotations.Take(create.Line) };
        if (unlogged)
        {
            table = table with { Options = table.Options with { Unlogged = true } };
        }

        if (cursor.AcceptWords("partition", "of"))
        {
            // A partition has its parent's columns and keys; its own constraints (in parentheses) are not modelled.
            table = table with { PartitionOf = Name("a parent table name") };
            if (cursor.AcceptPunctuation('('))
            {
                cursor.SkipBalanced(stopAtComma: false);
                cursor.ExpectPunctuation(')');
            }

            table = table with { PartitionBound = PartitionBound() };
        }
        else
        {
            cursor.ExpectPunctuation('(');
            // Columns are collected and set once: a copy of the table and its column list per column made large schemas
            // allocate several times their size.
            var columns = new List<Column>();
            if (!cursor.IsPunctuation(')'))
            {
                do
                {
                    table = IsConstraintStart() ? AddConstraint(table, TableConstraint()) : AddColumn(table, columns);
                }
                while (cursor.AcceptPunctuation(','));
            }

            cursor.ExpectPunctuation(')');
            if (columns.Count > 0)
            {
                table = table with { Columns = columns.ToEquatableList() };
            }
        }

        while (true)
        {
            if (cursor.AcceptWord("inherits"))
            {
                table = table with { Inherits = InheritsList().ToEquatableList() };
            }
            else if (cursor.AcceptWords("partition", "by"))
            {
                table = table with { Partitioning = PartitionBy() };
            }
            else if (cursor.AcceptWord("with"))
            {
                table = table with { Options = table.Options with { Other = StorageOptions() } };
            }
            else if (cursor.AcceptWord("using"))
            {
                Identifier("a table access method");
            }
            else if (cursor.AcceptWord("tablespace"))
            {
                Identifier("a tablespace name");
            }
            else if (!cursor.AcceptWords("without", "oids"))
            {
                break;
            }
        }

        model.AddTable(table);
    }

    private bool IsConstraintStart() =>
        cursor.IsWord("constraint") || cursor.IsWord("primary") || cursor.IsWord("unique") || cursor.IsWord("foreign")
        || cursor.IsWord("check") || cursor.IsWord("exclude");

    /// <summary>Whether a column of that name is in the list: a loop, where a predicate allocated a delegate and a closure per column read.</summary>
    private static bool IsDefined(List<Column> columns, string name)
    {
        foreach (var column in columns)
        {
            if (column.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a column definition into <paramref name="columns"/> (the table's columns so far); its constraints go to the table.</summary>
    private Table AddColumn(Table table, List<Column> columns)
    {
        if (cursor.IsWord("like"))
        {
            throw cursor.Error("a column definition (LIKE copies another table's definition and is not declarative)");
        }

        var nameToken = cursor.Current;
        var column = new Column(Identifier("a column name"), types.Get(PostgresSyntax.DataType(cursor)))
        {
            Span = Span(nameToken),
            Annotations = annotations.Take(nameToken.Line),
        };
        if (IsDefined(columns, column.Name))
        {
            diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.DuplicateObject,
                $"column {column.Name} is defined twice in table {table.Name}; remove one of the definitions",
                column.Span,
                table.Name.Name + "." + column.Name));
        }

        // NOT NULL and DEFAULT are kept aside and set with one copy of the column at the end; the constraint list is made
        // only for a column that has some: most columns have neither, and loading a large schema copied each column thrice.
        var nullable = column.Nullable;
        var columnDefault = column.Default;
        List<object>? constraints = null;
        while (true)
        {
            var constraintName = cursor.AcceptWord("constraint") ? Identifier("a constraint name") : string.Empty;
            if (cursor.AcceptWord("collate"))
            {
                column = column with { Collation = Name("a collation name").Name };
            }
            else if (cursor.AcceptWords("not", "null"))
            {
                nullable = false;
            }
            else if (cursor.AcceptWord("null"))
            {
                nullable = true;
            }
            else if (cursor.AcceptWord("default"))
            {
                columnDefault = WrittenDefault();
            }
            else if (cursor.AcceptWord("generated"))
            {
                column = Generated(column);
            }
            else if (cursor.AcceptWords("primary", "key"))
            {
                (constraints ??= new List<object>()).Add(new PrimaryKey(constraintName, EquatableList<IndexKeyPart>.Of(IndexKeyPart.ForColumn(column.Name))) { Span = Span(nameToken) });
                IndexParameters();
            }
            else if (cursor.AcceptWord("unique"))
            {
                var nullsNotDistinct = NullsDistinct();
                (constraints ??= new List<object>()).Add(new Index(constraintName, IndexKind.Unique, EquatableList<IndexKeyPart>.Of(IndexKeyPart.ForColumn(column.Name)))
                {
                    IsConstraint = true,
                    NullsNotDistinct = nullsNotDistinct,
                    Span = Span(nameToken),
                });
                IndexParameters();
            }
            else if (cursor.AcceptWord("references"))
            {
                (constraints ??= new List<object>()).Add(References(constraintName, EquatableList<string>.Of(column.Name), nameToken));
            }
            else if (cursor.IsWord("check"))
            {
                (constraints ??= new List<object>()).Add(Check(constraintName, nameToken));
            }
            else if (cursor.IsWord("deferrable") || cursor.IsWord("initially") || cursor.IsWords("not", "deferrable"))
            {
                if (constraints is null)
                {
                    throw cursor.Error("a constraint before DEFERRABLE");
                }

                var deferrability = Deferrability();
                var last = constraints.Count - 1;
                constraints[last] = constraints[last] switch
                {
                    ForeignKey fk => fk with { Deferrability = deferrability },
                    Index unique => unique with { Deferrability = deferrability },
                    var other => other,
                };
            }
            else if (cursor.AcceptWord("storage") || cursor.AcceptWord("compression"))
            {
                Identifier("a storage or compression method");
            }
            else if (constraintName.Length > 0)
            {
                throw cursor.Error("a constraint (PRIMARY KEY, UNIQUE, REFERENCES, CHECK, NOT NULL) after CONSTRAINT name");
            }
            else
            {
                break;
            }
        }

        if (nullable != column.Nullable || !ReferenceEquals(columnDefault, column.Default))
        {
            column = column with { Nullable = nullable, Default = columnDefault };
        }

        columns.Add(column);
        foreach (var constraint in constraints ?? Enumerable.Empty<object>())
        {
            table = AddConstraint(table, constraint);
        }

        return table;
    }

    /// <summary>GENERATED ALWAYS AS (expr) STORED, or GENERATED ALWAYS|BY DEFAULT AS IDENTITY [(options)].</summary>
    private Column Generated(Column column)
    {
        var always = cursor.AcceptWord("always");
        if (!always)
        {
            cursor.ExpectWords("by", "default");
        }

        cursor.ExpectWord("as");
        if (cursor.AcceptWord("identity"))
        {
            return column with { Identity = new IdentityColumn(always) { Options = IdentityOptions() } };
        }

        if (!always)
        {
            throw cursor.Error("IDENTITY");
        }

        var expression = ParenthesizedExpressionText();
        cursor.ExpectWord("stored");
        return column with { Generated = new GeneratedColumn(expression, true) { Written = new WrittenSql(expression) } };
    }

    private SequenceOptions IdentityOptions()
    {
        if (!cursor.AcceptPunctuation('('))
        {
            return new SequenceOptions();
        }

        var options = SequenceOptions(new SequenceOptions(), out _, out _);
        cursor.ExpectPunctuation(')');
        return options;
    }

    private bool NullsDistinct()
    {
        if (cursor.AcceptWords("nulls", "not", "distinct"))
        {
            return true;
        }

        cursor.AcceptWords("nulls", "distinct");
        return false;
    }

    /// <summary>INCLUDE, WITH and USING INDEX TABLESPACE after a key; only INCLUDE is returned (the rest is storage).</summary>
    private EquatableList<string> IndexParameters()
    {
        var include = EquatableList<string>.Empty;
        while (true)
        {
            if (cursor.AcceptWord("include"))
            {
                include = ColumnList();
            }
            else if (cursor.AcceptWord("with"))
            {
                StorageOptions();
            }
            else if (cursor.AcceptWords("using", "index", "tablespace"))
            {
                Identifier("a tablespace name");
            }
            else
            {
                return include;
            }
        }
    }

    private Deferrability Deferrability()
    {
        var result = Model.Deferrability.NotDeferrable;
        while (true)
        {
            if (cursor.AcceptWords("not", "deferrable"))
            {
                result = Model.Deferrability.NotDeferrable;
            }
            else if (cursor.AcceptWord("deferrable"))
            {
                result = result == Model.Deferrability.NotDeferrable ? Model.Deferrability.DeferrableInitiallyImmediate : result;
            }
            else if (cursor.AcceptWord("initially"))
            {
                // INITIALLY must be followed by its mode: callers loop while INITIALLY follows, so not consuming it would never end.
                if (cursor.AcceptWord("deferred"))
                {
                    result = Model.Deferrability.DeferrableInitiallyDeferred;
                }
                else if (!cursor.AcceptWord("immediate"))
                {
                    throw cursor.Error("DEFERRED or IMMEDIATE after INITIALLY");
                }
            }
            else
            {
                return result;
            }
        }
    }

    private object TableConstraint()
    {
        var start = cursor.Current;
        var name = cursor.AcceptWord("constraint") ? Identifier("a constraint name") : string.Empty;
        if (cursor.AcceptWords("primary", "key"))
        {
            var columns = ColumnList();
            var include = IndexParameters();
            Deferrability();
            return new PrimaryKey(name, columns.Select(IndexKeyPart.ForColumn).ToEquatableList()) { Include = include, Span = Span(start) };
        }

        if (cursor.AcceptWord("unique"))
        {
            var nullsNotDistinct = NullsDistinct();
            var columns = ColumnList();
            var include = IndexParameters();
            return new Index(name, IndexKind.Unique, columns.Select(IndexKeyPart.ForColumn).ToEquatableList())
            {
                IsConstraint = true,
                NullsNotDistinct = nullsNotDistinct,
                Include = include,
                Deferrability = Deferrability(),
                Span = Span(start),
            };
        }

        if (cursor.AcceptWords("foreign", "key"))
        {
            var columns = ColumnList();
            cursor.ExpectWord("references");
            return References(name, columns, start);
        }

        if (cursor.IsWord("check"))
        {
            return Check(name, start);
        }

        throw cursor.Error("PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK");
    }

    private ForeignKey References(string name, EquatableList<string> columns, Token start)
    {
        var target = Name("a referenced table name");
        var referenced = cursor.IsPunctuation('(') ? ColumnList() : EquatableList<string>.Empty;
        var fk = new ForeignKey(name, columns, target, referenced) { Span = Span(start) };
        while (true)
        {
            if (cursor.AcceptWord("match"))
            {
                fk = fk with { MatchFull = cursor.AcceptWord("full") };
                if (!fk.MatchFull && !cursor.AcceptWord("simple"))
                {
                    throw cursor.Error("FULL or SIMPLE");
                }
            }
            else if (cursor.AcceptWords("on", "delete"))
            {
                fk = fk with { OnDelete = Action() };
            }
            else if (cursor.AcceptWords("on", "update"))
            {
                fk = fk with { OnUpdate = Action() };
            }
            else if (cursor.IsWord("deferrable") || cursor.IsWord("initially") || cursor.IsWords("not", "deferrable"))
            {
                fk = fk with { Deferrability = Deferrability() };
            }
            else if (!cursor.AcceptWords("not", "valid"))
            {
                return fk;
            }
        }
    }

    private ReferentialAction Action()
    {
        if (cursor.AcceptWord("cascade"))
        {
            return ReferentialAction.Cascade;
        }

        if (cursor.AcceptWord("restrict"))
        {
            return ReferentialAction.Restrict;
        }

        if (cursor.AcceptWords("no", "action"))
        {
            return ReferentialAction.NoAction;
        }

        if (cursor.AcceptWords("set", "null"))
        {
            return ReferentialAction.SetNull;
        }

        if (cursor.AcceptWords("set", "default"))
        {
            return ReferentialAction.SetDefault;
        }

        throw cursor.Error("CASCADE, RESTRICT, NO ACTION, SET NULL or SET DEFAULT");
    }

    private CheckConstraint Check(string name, Token start)
    {
        cursor.ExpectWord("check");
        var expression = ParenthesizedExpressionText();
        var check = new CheckConstraint(name, expression) { Written = new WrittenSql(expression), Span = Span(start) };
        while (true)
        {
            if (cursor.AcceptWords("no", "inherit"))
            {
                check = check with { NoInherit = true };
            }
            else if (!cursor.AcceptWords("not", "valid"))
            {
                return check;
            }
        }
    }

    /// <summary>Adds a parsed constraint to a table; a second primary key or a taken name is SB0003.</summary>
    // Loops, not LINQ: this runs for every constraint of every table, and the lambdas allocated per call added up.
    private static bool IsConstraintNameTaken(Table table, string name)
    {
        if (table.PrimaryKey?.Name == name)
        {
            return true;
        }

        foreach (var index in table.Indexes)
        {
            if (index.Name == name)
            {
                return true;
            }
        }

        foreach (var foreignKey in table.ForeignKeys)
        {
            if (foreignKey.Name == name)
            {
                return true;
            }
        }

        foreach (var check in table.Checks)
        {
            if (check.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    private Table AddConstraint(Table table, object constraint)
    {
        var (name, span) = constraint switch
        {
            PrimaryKey pk => (pk.Name, pk.Span),
            Index index => (index.Name, index.Span),
            ForeignKey fk => (fk.Name, fk.Span),
            CheckConstraint check => (check.Name, check.Span),
            _ => (string.Empty, SourceSpan.None),
        };
        var taken = name.Length > 0 && IsConstraintNameTaken(table, name);
        if (taken || (constraint is PrimaryKey && table.PrimaryKey is not null))
        {
            var what = taken ? $"constraint {name}" : "primary key";
            diagnostics.Add(Diagnostic.Create(
                DiagnosticCatalog.DuplicateObject,
                $"{what} of table {table.Name} is defined twice; remove one of the definitions",
                span,
                table.Name.Name + (taken ? "." + name : string.Empty)));
            return table;
        }

        switch (constraint)
        {
            case PrimaryKey pk:
                return table with { PrimaryKey = pk };
            case Index index:
                if (index.Name.Length > 0 && !model.ClaimIndexName(table.Name, index.Name, index.Span))
                {
                    return table;
                }

                return table with { Indexes = table.Indexes.Add(index) };
            case ForeignKey fk:
                return table with { ForeignKeys = table.ForeignKeys.Add(fk) };
            case CheckConstraint check:
                return table with { Checks = table.Checks.Add(check) };
            default:
                return table;
        }
    }

    private void Alter()
    {
        var first = cursor.ExpectWord("alter");
        if (cursor.AcceptWord("table"))
        {
            AlterTable(first);
            return;
        }

        if (cursor.AcceptWord("sequence"))
        {
            cursor.AcceptWords("if", "exists");
            var nameToken = cursor.Current;
            var name = Name("a sequence name");
            if (cursor.AcceptWords("owned", "by"))
            {
                SequenceOwnedBy(name, nameToken);
                return;
            }

            if (cursor.IsWords("owner", "to"))
            {
                cursor.SkipBalanced(stopAtComma: false);
                return;
            }

            NotAllowed(first, "ALTER SEQUENCE");
            return;
        }

        if (cursor.IsWord("index") && AlterIndexColumn(first))
        {
            return;
        }

        if (cursor.IsWord("index") && IsAttachIndexPartition())
        {
            Ignored(first, "ALTER INDEX ... ATTACH PARTITION", "a partition's keys and indexes are its parent's, created with it");
            return;
        }

        // ALTER <anything> ... OWNER TO role: ownership is not part of the schema (pg_dump without --no-owner).
        var start = cursor.Position;
        while (!cursor.AtEnd && !cursor.IsPunctuation(';') && !cursor.IsWords("owner", "to"))
        {
            cursor.Advance();
        }

        var ownerOnly = cursor.IsWords("owner", "to");
        cursor.Position = start;
        if (ownerOnly)
        {
            cursor.SkipBalanced(stopAtComma: false);
            return;
        }

        NotAllowed(first, "ALTER " + cursor.Current.Text.ToUpperInvariant());
    }

    /// <summary>
    /// SET STATISTICS n, SET STORAGE kind, SET COMPRESSION method on a column: how the server stores and samples it,
    /// which pg_dump restates and SchemaBuild does not model (an inline STORAGE clause is accepted the same way).
    /// </summary>
    private bool ColumnStorageSetting(Token first, string statement)
    {
        string what;
        if (cursor.AcceptWords("set", "statistics"))
        {
            PostgresSyntax.ExpectLong(cursor);
            what = "SET STATISTICS";
        }
        else if (cursor.AcceptWords("set", "storage") || cursor.AcceptWords("set", "compression"))
        {
            what = "SET " + cursor.Previous.Text.ToUpperInvariant();
            Identifier("a storage or compression method");
        }
        else
        {
            return false;
        }

        diagnostics.Add(Diagnostic.Create(
            DiagnosticCatalog.StatementIgnored,
            $"{statement} {what} is accepted and not modelled: statistics targets and storage settings are not deployed or compared",
            cursor.SpanOf(first, cursor.Previous)));
        return true;
    }

    private bool IsAttachIndexPartition()
    {
        for (var ahead = 1; ahead <= 6 && !cursor.Peek(ahead).IsPunctuation(';'); ahead++)
        {
            if (cursor.Peek(ahead).IsWord("attach") && cursor.Peek(ahead + 1).IsWord("partition"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>ALTER INDEX name ALTER [COLUMN] n SET STATISTICS n (pg_dump, for expression keys); false for other forms.</summary>
    private bool AlterIndexColumn(Token first)
    {
        var start = cursor.Position;
        cursor.ExpectWord("index");
        cursor.AcceptWords("if", "exists");
        Name("an index name");
        if (cursor.AcceptWord("alter"))
        {
            cursor.AcceptWord("column");
            if (cursor.Current.Kind == TokenKind.Number)
            {
                cursor.Advance();
            }
            else
            {
                Identifier("a column number");
            }

            if (ColumnStorageSetting(first, "ALTER INDEX ... ALTER COLUMN"))
            {
                return true;
            }
        }

        cursor.Position = start;
        return false;
    }

    private void SequenceOwnedBy(QualifiedName name, Token nameToken)
    {
        var parts = new List<string> { Identifier("a table.column or NONE") };
        while (cursor.AcceptPunctuation('.'))
        {
            parts.Add(Identifier("a column name"));
        }

        var sequence = model.FindSequence(name);
        if (sequence is null && model.IsBroken(name))
        {
            return;
        }

        if (sequence is null)
        {
            Unresolved(nameToken, $"sequence {name} is not defined (yet); ALTER SEQUENCE ... OWNED BY must follow its CREATE SEQUENCE", name.ToString());
            return;
        }

        model.ReplaceSequence(sequence, sequence with { OwnedBy = parts.Count == 1 && parts[0] == "none" ? null : string.Join(".", parts) });
    }

    private void Unresolved(Token at, string message, string objectName) =>
        diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.UnresolvedReference, message, Span(at), objectName));

    /// <summary>
    /// The ALTER TABLE forms pg_dump writes: ADD CONSTRAINT, ALTER COLUMN SET DEFAULT, ALTER COLUMN ADD
    /// GENERATED ... AS IDENTITY, OWNER TO. Anything else changes a table imperatively (SB0002).
    /// </summary>
    private void AlterTable(Token first)
    {
        cursor.AcceptWords("if", "exists");
        cursor.AcceptWord("only");
        var nameToken = cursor.Current;
        var name = Name("a table name");
        if (cursor.IsWords("owner", "to"))
        {
            cursor.SkipBalanced(stopAtComma: false);
            return;
        }

        var table = model.FindTable(name);
        var original = table;
        do
        {
            var actionToken = cursor.Current;
            var actionStart = cursor.Position;
            if (cursor.AcceptWord("add") && (IsConstraintStart() || cursor.IsWord("constraint")))
            {
                var constraint = TableConstraint();
                table = table is null ? null : AddConstraint(table, constraint);
            }
            else if (cursor.AcceptWords("attach", "partition"))
            {
                AttachPartition(name);
            }
            else if (actionToken.IsWord("alter") && cursor.AcceptWord("alter"))
            {
                cursor.AcceptWord("column");
                var columnToken = cursor.Current;
                var column = Identifier("a column name");
                Column Change(Column c)
                {
                    if (cursor.AcceptWords("set", "default"))
                    {
                        return c with { Default = WrittenDefault() };
                    }

                    if (cursor.AcceptWords("add", "generated"))
                    {
                        return Generated(c);
                    }

                    if (ColumnStorageSetting(actionToken, "ALTER TABLE ... ALTER COLUMN"))
                    {
                        return c;
                    }

                    throw cursor.Error("SET DEFAULT, ADD GENERATED, SET STATISTICS or SET STORAGE (other column changes are not declarative)");
                }

                var existing = table?.Columns.FirstOrDefault(c => c.Name == column);
                var changed = Change(existing ?? new Column(column, new DataType("unknown")));
                if (table is not null && existing is null)
                {
                    Unresolved(columnToken, $"column {column} is not defined in table {name}", name.Name + "." + column);
                }
                else if (table is not null)
                {
                    table = table with { Columns = table.Columns.SetItem(table.Columns.IndexOf(c => c.Name == column), changed) };
                }
            }
            else
            {
                cursor.Position = actionStart;
                NotAllowed(first, "ALTER TABLE ... " + actionToken.Text.ToUpperInvariant());
                return;
            }
        }
        while (cursor.AcceptPunctuation(','));

        if (original is null && !model.IsBroken(name))
        {
            Unresolved(nameToken, $"table {name} is not defined (yet); ALTER TABLE must follow its CREATE TABLE", name.ToString());
        }
        else if (original is not null)
        {
            model.ReplaceTable(original, table!);
        }
    }
}
