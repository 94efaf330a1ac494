using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Syntax;
using Xunit;

namespace SchemaBuild.Core.Tests.Postgres;

/// <summary>
/// Functions, triggers, domains, aggregates and operators: the source spelling and the server's
/// (pg_get_functiondef, pg_get_triggerdef, the introspector's CREATE DOMAIN/AGGREGATE/OPERATOR)
/// read to one canonical definition; bodies compare exactly; text is kept byte for byte.
/// </summary>
public sealed class PostgresProgrammableObjectTests
{
    [Theory]
    [InlineData(
        "CREATE FUNCTION f(a int, b varchar(10) DEFAULT 'x', OUT c int) RETURNS SETOF integer AS $$ SELECT 1 $$ LANGUAGE sql STABLE STRICT;",
        "CREATE OR REPLACE FUNCTION public.f(a integer, b character varying DEFAULT 'x'::character varying, OUT c integer)\n RETURNS SETOF integer\n LANGUAGE sql\n STABLE STRICT\nAS $function$ SELECT 1 $function$\n;")]
    [InlineData(
        "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER VOLATILE SET search_path = public, pg_temp COST 5 AS $$BEGIN RETURN NEW; END$$;",
        "CREATE OR REPLACE FUNCTION public.tf()\n RETURNS trigger\n LANGUAGE plpgsql\n SECURITY DEFINER COST 5\n SET search_path TO 'public', 'pg_temp'\nAS $function$BEGIN RETURN NEW; END$function$;")]
    [InlineData(
        "CREATE TRIGGER tr BEFORE UPDATE OF b, a OR INSERT ON t FOR EACH ROW WHEN (NEW.a > 0) EXECUTE PROCEDURE tf();",
        "CREATE TRIGGER tr BEFORE INSERT OR UPDATE OF b, a ON public.t FOR EACH ROW WHEN ((new.a > 0)) EXECUTE FUNCTION public.tf();")]
    [InlineData(
        "CREATE DOMAIN year AS integer\n\tCONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);",
        "CREATE DOMAIN public.year AS integer CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));")]
    [InlineData(
        "CREATE DOMAIN posint AS int NOT NULL CHECK (VALUE > 0);",
        "CREATE DOMAIN public.posint AS integer NOT NULL CONSTRAINT posint_check CHECK ((VALUE > 0));")]
    [InlineData(
        "CREATE AGGREGATE group_concat(text) (\n    SFUNC = _group_concat,\n    STYPE = text\n);",
        "CREATE AGGREGATE public.group_concat(text) (SFUNC = public._group_concat, STYPE = text, PARALLEL = UNSAFE);")]
    [InlineData(
        "CREATE OPERATOR ~~ (LEFTARG=anynonarray, RIGHTARG=text, PROCEDURE=anynonarrayliketext);",
        "CREATE OPERATOR public.~~ (FUNCTION = public.anynonarrayliketext, LEFTARG = anynonarray, RIGHTARG = text);")]
    public void Source_and_server_spellings_have_one_definition(string source, string server)
    {
        var written = Single(source);
        var readBack = Single(server);
        Assert.True(written.ReadBack, written.Definition);
        Assert.Equal(written.Name, readBack.Name);
        Assert.Equal(written.Definition, readBack.Definition);
        Assert.Equal(written, readBack);
    }

    [Theory]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT  1 $$;")]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 -- note\n$$;")]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;", "CREATE FUNCTION f() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$;")]
    [InlineData("CREATE DOMAIN d AS int CHECK (VALUE > 0);", "CREATE DOMAIN d AS int CHECK (VALUE > 1);")]
    public void Any_change_of_body_or_header_is_a_different_definition(string before, string after)
    {
        Assert.NotEqual(Single(before), Single(after));
    }

    [Fact]
    public void Text_is_kept_byte_for_byte_with_comments_literals_and_dollar_quotes()
    {
        const string Statement = "CREATE FUNCTION f(t text) RETURNS text\n    LANGUAGE plpgsql\n    AS $body$\nBEGIN\n  -- a comment; the rest stays\n  RETURN t || E'\\t''x''';  /* block */\nEND\n$body$";
        var statement = Single("-- leading comment\n" + Statement + ";\nCREATE TABLE after_it (a int);");
        Assert.Equal(Statement, statement.Text);
        Assert.EndsWith("body \nBEGIN\n  -- a comment; the rest stays\n  RETURN t || E'\\t''x''';  /* block */\nEND\n", statement.Definition);
    }

    [Fact]
    public void Functions_domains_aggregates_and_operators_come_before_the_tables_that_use_them_and_triggers_after()
    {
        var tables = "CREATE TABLE language (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY, names text[], y year);\nCREATE INDEX t_lower ON t (lower(names));\n"
            + "CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();\n";
        var routines = "CREATE AGGREGATE agg(text) (SFUNC = cat, STYPE = text);\n"
            + "CREATE FUNCTION cat(text, text) RETURNS text LANGUAGE sql AS $$ SELECT $1 || $2 $$;\n"
            + "CREATE FUNCTION lower(text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$ SELECT $1 $$;\n"
            + "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
            + "CREATE FUNCTION rows_of_t() RETURNS SETOF t LANGUAGE sql AS $$ SELECT * FROM t $$;\n"
            + "CREATE DOMAIN year AS integer CHECK (VALUE > 1900);\n";
        var dialect = SqlDialects.For(DialectKind.Postgres);
        var parsed = dialect.Parse(new[] { new SourceFile("a.sql", tables), new SourceFile("b.sql", routines) });
        Assert.DoesNotContain(parsed.Diagnostics, d => d.Severity == Diagnostics.DiagnosticSeverity.Error);
        var plan = Planner.Create(new Schema(DialectKind.Postgres), dialect.Normalize(parsed.Schema), EngineProfile.For(DialectKind.Postgres));
        var order = plan.Steps.Select(s => s.ObjectName).ToList();
        int At(string name) => order.FindIndex(n => n.StartsWith(name, System.StringComparison.Ordinal));
        Assert.True(At("public.cat(") < At("public.agg("), string.Join(", ", order));
        Assert.True(At("public.year") < order.IndexOf("public.t"), string.Join(", ", order));
        Assert.True(At("public.lower(") < order.IndexOf("public.t"), string.Join(", ", order));
        Assert.True(order.IndexOf("public.t") < At("t_touch"), string.Join(", ", order));
        Assert.True(order.IndexOf("public.t") < At("public.rows_of_t("), string.Join(", ", order));
        Assert.Contains(plan.Steps.Single(s => s.ObjectName == "public.cat(text, text)").Sql, s => s == "SET LOCAL check_function_bodies = off");
    }

    private static VerbatimStatement Single(string sql)
    {
        var result = PostgresTestSupport.Parse(sql);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "SB0001" or "SB0007");
        return PostgresTestSupport.Dialect.Normalize(result.Schema).Verbatim.First();
    }
}
