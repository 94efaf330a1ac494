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
    [InlineData("GRANT EXECUTE ON FUNCTION f(int) TO PUBLIC;", "GRANT", null)]
    [InlineData("REVOKE reader FROM writer;", "REVOKE", null)]
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

    [Fact]
    public void IdentifierLongerThanTheServerKeepsIsSb6003WhereItIsWritten()
    {
        var name = "a_table_name_that_is_far_too_long_for_postgresql_to_keep_all_of_it";
        var result = PostgresTestSupport.Parse($"CREATE TABLE {name} (id int);\nCREATE INDEX ON {name} (id);");
        var error = PostgresTestSupport.Single(result, "SB6003");
        Assert.Equal((DiagnosticSeverity.Error, 1, 14, name), (error.Severity, error.Span.Line, error.Span.Column, error.Object));
        Assert.Contains("truncates", error.Message);
    }

    [Fact]
    public void EachBrokenStatementIsOneErrorAndStatementsAboutItAddNone()
    {
        var result = PostgresTestSupport.Parse(
            "CREATE TABLE broken (id int PRIMARY KEY, name text DEFAULT);\n"
            + "CREATE INDEX broken_name ON broken (name);\n"
            + "ALTER TABLE ONLY broken ADD CONSTRAINT broken_name_key UNIQUE (name);\n"
            + "COMMENT ON COLUMN broken.name IS 'x';\n"
            + "CREATE VIEW v AS SELECT (1;\n"
            + "CREATE TABLE fine (id int);\n");
        Assert.Equal(new[] { 1, 5 }, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Span.Line));
        Assert.All(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), d => Assert.Equal("SB0001", d.Id));
        Assert.NotNull(result.Schema.FindTable(new Model.QualifiedName(null, "fine")));
    }

    [Theory]
    [InlineData("SET statement_timeout = 0;")]
    [InlineData("SET default_table_access_method = heap;")]
    [InlineData("SELECT pg_catalog.set_config('search_path', '', false);")]
    [InlineData("DROP TABLE IF EXISTS public.t;")]
    [InlineData("DROP INDEX IF EXISTS public.t_idx;")]
    [InlineData("DROP MATERIALIZED VIEW IF EXISTS public.mv;")]
    [InlineData("CREATE OR REPLACE PROCEDURAL LANGUAGE plpgsql;")]
    public void CleanLoadPreparationIsIgnoredWithAnInfo(string statement)
    {
        var result = PostgresTestSupport.Parse(statement + "\nCREATE TABLE t (id int);");
        var info = PostgresTestSupport.Single(result, "SB0010");
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Single(result.Schema.Tables);
    }

    [Theory]
    [InlineData("DROP TABLE t;")]
    [InlineData("INSERT INTO t VALUES (1);")]
    [InlineData("COPY t (id) FROM stdin;")]
    public void DataAndPlainDropsStayNotAllowed(string statement) =>
        PostgresTestSupport.Single(PostgresTestSupport.Parse("CREATE TABLE t (id int);\n" + statement), "SB0002");

    [Fact]
    public void PgDumpRestatementsFoldIntoTheModel()
    {
        var result = PostgresTestSupport.Parse(
            "CREATE TABLE t (id integer NOT NULL, name text, score integer);\n"
            + "ALTER TABLE ONLY public.t ALTER COLUMN name SET STATISTICS 500;\n"
            + "ALTER TABLE ONLY public.t ALTER COLUMN name SET STORAGE EXTERNAL;\n"
            + "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n"
            + "CREATE INDEX t_expr ON public.t USING btree (lower(name));\n"
            + "ALTER INDEX public.t_expr ALTER COLUMN 1 SET STATISTICS 100;\n"
            + "CREATE VIEW public.v AS SELECT NULL::integer AS id, NULL::text AS name;\n"
            + "CREATE OR REPLACE VIEW public.v AS SELECT t.id, t.name FROM public.t;\n"
            + "COMMENT ON SCHEMA public IS 'standard public schema';\n"
            + "CREATE LANGUAGE plperl;\n");
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Equal(3, result.Diagnostics.Count(d => d.Id == "SB0010"));
        var table = result.Schema.Tables.Single();
        Assert.Equal("t_pkey", table.PrimaryKey!.Name);
        Assert.Equal(new[] { "id", "name", "score" }, table.Columns.Select(c => c.Name));
        Assert.Contains("FROM public.t", result.Schema.Views.Single().Definition);
        Assert.Equal("plperl", result.Schema.Extensions.Single().Name);
    }
}
