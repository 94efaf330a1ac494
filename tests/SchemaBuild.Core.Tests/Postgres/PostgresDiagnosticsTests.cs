using System.Linq;
using SchemaBuild.Core.Diagnostics;
using Xunit;

namespace SchemaBuild.Core.Tests.Postgres;

public sealed class PostgresDiagnosticsTests
{
    [Fact]
    public void SyntaxErrorHasExactLocationAndExpectation()
    {
        var result = PostgresTestSupport.Parse("CREATE TABLE t (\n    id integer,\n    name text NOT NULL DEFAULT\n);\nCREATE TABLE ok (id int);");
        var error = PostgresTestSupport.Single(result, "SB0001");
        Assert.Equal(("schema.sql", 4, 1), (error.Span.File, error.Span.Line, error.Span.Column));
        Assert.Equal("expected an expression, found ')'", error.Message);
        Assert.NotNull(result.Schema.FindTable(new Model.QualifiedName(null, "ok")));
    }

    [Fact]
    public void MissingParenthesisNamesWhatWasExpected()
    {
        var result = PostgresTestSupport.Parse("CREATE TABLE t (id integer PRIMARY KEY");
        var error = PostgresTestSupport.Single(result, "SB0001");
        Assert.Equal("expected ')', found end of file", error.Message);
        Assert.Equal((1, 39), (error.Span.Line, error.Span.Column));
    }

    [Fact]
    public void UnknownStatementIsSyntaxError()
    {
        var error = PostgresTestSupport.Single(PostgresTestSupport.Parse("  CRATE TABLE t (id int);"), "SB0001");
        Assert.Equal("expected a statement (CREATE or COMMENT ON), found 'CRATE'", error.Message);
        Assert.Equal((1, 3), (error.Span.Line, error.Span.Column));
    }

    [Theory]
    [InlineData("INSERT INTO t VALUES (1);", "INSERT")]
    [InlineData("UPDATE t SET a = 1;", "UPDATE")]
    [InlineData("DELETE FROM t;", "DELETE")]
    [InlineData("DROP TABLE t;", "DROP")]
    [InlineData("TRUNCATE t;", "TRUNCATE")]
    [InlineData("ALTER TABLE t DROP COLUMN a;", "ALTER TABLE ... DROP")]
    [InlineData("ALTER TABLE t ADD COLUMN b int;", "ALTER TABLE ... ADD")]
    [InlineData("ALTER SEQUENCE s RESTART;", "ALTER SEQUENCE")]
    [InlineData("ALTER TYPE e ADD VALUE 'x';", "ALTER TYPE")]
    public void ImperativeStatementsAreNotAllowed(string statement, string what)
    {
        var result = PostgresTestSupport.Parse("CREATE TABLE t (a int);\nCREATE SEQUENCE s;\n" + statement + "\nCREATE TABLE after (id int);");
        var error = PostgresTestSupport.Single(result, "SB0002");
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(3, error.Span.Line);
        Assert.StartsWith(what + " is not allowed here: declarative schema files may only hold CREATE (and COMMENT ON) statements", error.Message);
        Assert.Equal(2, result.Schema.Tables.Count);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SB0001");
    }

    [Theory]
    [InlineData("CREATE TABLE t (id int);\nCREATE TABLE public.t (id int);", "table public.t")]
    [InlineData("CREATE TABLE t (id int);\nCREATE VIEW t AS SELECT 1;", "view public.t")]
    [InlineData("CREATE TYPE e AS ENUM ('a');\nCREATE TYPE public.e AS ENUM ('b');", "type public.e")]
    [InlineData("CREATE SCHEMA s;\nCREATE SCHEMA s;", "schema s")]
    [InlineData("CREATE TABLE t (id int);\nCREATE INDEX t ON t (id);", "index public.t")]
    [InlineData("CREATE TABLE t (id int,\n id text);", "column id")]
    [InlineData("CREATE TABLE t (id int PRIMARY KEY,\n PRIMARY KEY (id));", "primary key")]
    [InlineData("CREATE TABLE t (id int, CONSTRAINT c CHECK (id > 0),\n CONSTRAINT c CHECK (id < 9));", "constraint c")]
    public void DuplicatesAreReportedAtTheSecondDefinition(string sql, string what)
    {
        var error = PostgresTestSupport.Single(PostgresTestSupport.Parse(sql), "SB0003");
        Assert.Equal(2, error.Span.Line);
        Assert.StartsWith(what, error.Message);
    }

    [Fact]
    public void DanglingAndMalformedAnnotations()
    {
        var result = PostgresTestSupport.Parse("CREATE TABLE t (id int);\n-- schema:renamed-from\n-- schema:frobnicate x\nCREATE INDEX i ON t (id);\n-- schema:deprecated \"gone\"\n");
        var errors = result.Diagnostics.Where(d => d.Id == "SB0005").OrderBy(d => d.Span.Line).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Equal(new[] { 2, 3, 5 }, errors.Select(e => e.Span.Line));
        Assert.Contains("unknown annotation", errors[1].Message);
        Assert.Contains("not attached", errors[2].Message);
    }

    [Fact]
    public void AnnotationsAttachToTablesColumnsViewsAndTypes()
    {
        var sql = "-- schema:renamed-from old_t\nCREATE TABLE t (\n  a int, -- schema:deprecated \"use b\"\n  -- schema:renamed-from c\n  b int\n);\n"
            + "CREATE TYPE e AS ENUM ('x'); -- schema:deprecated\nCREATE VIEW v AS SELECT 1; -- schema:renamed-from old_v\n"
            + "-- schema:allow SB6001 t \"no key needed\"\n";
        var result = PostgresTestSupport.Parse(sql);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var table = result.Schema.Tables.Single();
        Assert.Equal("old_t", table.Annotations.RenamedFrom);
        Assert.Equal("use b", table.Columns[0].Annotations.Deprecated);
        Assert.Equal("c", table.Columns[1].Annotations.RenamedFrom);
        Assert.True(result.Schema.EnumTypes.Single().Annotations.IsDeprecated);
        Assert.Equal("old_v", result.Schema.Views.Single().Annotations.RenamedFrom);
        var allowance = Assert.Single(result.Schema.Allowances);
        Assert.Equal(("SB6001", "t", "no key needed"), (allowance.DiagnosticId, allowance.ObjectName, allowance.Reason));
    }

    [Theory]
    [InlineData("CREATE TYPE pair AS (a int, b int);", "TYPE", "pair")]
    [InlineData("CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;", "RULE", "r")]
    [InlineData("GRANT SELECT ON t TO PUBLIC;", "GRANT", null)]
    [InlineData("REVOKE ALL ON t FROM PUBLIC;", "REVOKE", null)]
    public void UnmodelledStatementsAreKeptVerbatimWithWarning(string sql, string kind, string? name)
    {
        var result = PostgresTestSupport.Parse("CREATE TABLE t (a int);\n" + sql + "\nCREATE TABLE z (a int);");
        var warning = PostgresTestSupport.Single(result, "SB0007");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(2, warning.Span.Line);
        var statement = Assert.Single(result.Schema.Verbatim);
        Assert.Equal(kind, statement.Kind);
        Assert.Equal(name is null ? null : "" + name, statement.Name);
        Assert.Equal(sql.TrimEnd(';'), statement.Text);
        Assert.Equal(2, result.Schema.Tables.Count);
    }

    [Theory]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;", "FUNCTION", "public.f()")]
    [InlineData("CREATE OR REPLACE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN END $$;", "PROCEDURE", "public.p()")]
    [InlineData("CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();", "TRIGGER", "trg ON public.t")]
    [InlineData("CREATE DOMAIN posint AS integer CHECK (VALUE > 0);", "DOMAIN", "public.posint")]
    [InlineData("CREATE AGGREGATE agg(int) (SFUNC = int4pl, STYPE = int);", "AGGREGATE", "public.agg(integer)")]
    [InlineData("CREATE OPERATOR === (FUNCTION = texteq, LEFTARG = text, RIGHTARG = text);", "OPERATOR", "public.===(text, text)")]
    public void ProgrammableObjectsAreKeptAsWrittenAndReadBackWithoutWarning(string sql, string kind, string name)
    {
        var result = PostgresTestSupport.Parse("CREATE TABLE t (a int);\n" + sql + "\nCREATE TABLE z (a int);");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SB0007");
        var statement = Assert.Single(result.Schema.Verbatim);
        Assert.Equal((kind, name, true), (statement.Kind, statement.Name, statement.ReadBack));
        Assert.Equal(sql.TrimEnd(';'), statement.Text);
        Assert.Equal(2, result.Schema.Tables.Count);
    }

    [Fact]
    public void BadInputNeverThrows()
    {
        var inputs = new[]
        {
            "CREATE TABLE (", ")))(((", "CREATE TABLE t (a int CHECK (", "CREATE INDEX ON", "CREATE VIEW v AS SELECT FROM WHERE",
            "'unterminated", "CREATE TABLE t (a numeric(99999999999))", "ALTER TABLE missing ADD CONSTRAINT c CHECK (a > 0);",
            "COMMENT ON TABLE nowhere IS 'x';", new string('(', 5000), "CREATE TABLE t (a int DEFAULT " + new string('(', 3000),
            "\0\u0001\uFFFF", "CREATE TYPE e AS ENUM (1, 2);", "CREATE SEQUENCE s START WITH abc;",
        };
        foreach (var input in inputs)
        {
            var result = PostgresTestSupport.Parse(input);
            Assert.NotNull(result.Schema);
            Assert.All(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), d => Assert.False(d.Span.IsNone, input + ": " + d));
            Assert.NotNull(PostgresTestSupport.Dialect.Normalize(result.Schema));
        }
    }
}
