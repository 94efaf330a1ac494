using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Core.Syntax;
using SchemaBuild.Runtime.Deployment;
using SchemaBuild.Runtime.Sessions;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>
/// Functions, procedures, triggers, domains, aggregates and operators on real servers: deployed
/// byte for byte as written, read back equal to the files, a changed body redeployed, removed
/// objects dropped, and everything created before (triggers after) the tables that use it.
/// </summary>
public sealed class ProgrammableObjectTests
{
    // Sorts before the routines file: file order must not matter.
    private const string PostgresTables = """
        CREATE TABLE tags (
            id integer PRIMARY KEY,
            names text[] NOT NULL,
            born year_domain,
            label text
        );
        CREATE INDEX tags_lower_names ON tags (lower(names));
        CREATE TRIGGER tags_touch BEFORE INSERT OR UPDATE ON tags FOR EACH ROW EXECUTE FUNCTION touch();
        """;

    private const string PostgresLowerBody = "\n  -- a comment; it must not swallow the rest\n  SELECT array_agg(lower(value)) FROM unnest($1) value   -- 'trailing'\n";

    private const string PostgresRoutines = """
        CREATE DOMAIN year_domain AS integer CONSTRAINT year_domain_check CHECK (VALUE >= 1901 AND VALUE <= 2155);

        CREATE FUNCTION lower(text[]) RETURNS text[]
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $body$
          -- a comment; it must not swallow the rest
          SELECT array_agg(lower(value)) FROM unnest($1) value   -- 'trailing'
        $body$;

        CREATE FUNCTION join_text(text, text) RETURNS text LANGUAGE sql IMMUTABLE
            AS 'SELECT $1 || '', it''''s; -- kept'' || $2';

        CREATE AGGREGATE join_all(text) (SFUNC = join_text, STYPE = text, INITCOND = '');

        CREATE FUNCTION reverse_match(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT textregexeq($2, $1) $$;

        CREATE OPERATOR ~<< (FUNCTION = reverse_match, LEFTARG = text, RIGHTARG = text);

        CREATE FUNCTION add_one(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';

        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          NEW.label := coalesce(NEW.label, E'tab\there');  -- default label
          RETURN NEW;
        END
        $fn$;
        """;

    private const string MariaDbSchema = """
        DELIMITER ;;
        CREATE FUNCTION add_fee(p_amount DECIMAL(5,2)) RETURNS DECIMAL(5,2)
            DETERMINISTIC
            COMMENT 'adds the fee'
        BEGIN
          -- a comment; it must not swallow the rest
          DECLARE fee DECIMAL(5,2) DEFAULT 1.50; # hash comment
          RETURN p_amount + fee;
        END ;;
        CREATE PROCEDURE note(IN p_text VARCHAR(100))
        BEGIN
          INSERT INTO notes (body) VALUES (CONCAT(p_text, ' -- it''s; "kept"'));
        END ;;
        DELIMITER ;

        CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(200), fee DECIMAL(5,2));

        DELIMITER $$
        CREATE TRIGGER notes_fee BEFORE INSERT ON notes FOR EACH ROW
        BEGIN
          SET NEW.fee = add_fee(0); -- comment
        END $$
        DELIMITER ;
        """;

    private const string MariaDbFeeBody = "BEGIN\n  -- a comment; it must not swallow the rest\n  DECLARE fee DECIMAL(5,2) DEFAULT 1.50; # hash comment\n  RETURN p_amount + fee;\nEND";

    [Fact]
    public async Task Postgres_objects_deploy_byte_for_byte_before_the_tables_that_use_them_and_read_back_equal()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "routines");
        await using var session = await database.OpenAsync();
        var target = Load(DialectKind.Postgres, ("a-tables.sql", PostgresTables), ("b-routines.sql", PostgresRoutines));
        var plan = await DeployAsync(session, target);

        // Every statement as written: the plan carries the source text, the server keeps the bodies exactly.
        var lowerStatement = PostgresRoutines.Substring(PostgresRoutines.IndexOf("CREATE FUNCTION lower", StringComparison.Ordinal));
        lowerStatement = lowerStatement.Substring(0, lowerStatement.IndexOf("$body$;", StringComparison.Ordinal) + "$body$".Length);
        Assert.Contains(plan.Steps, s => s.Sql.Contains(lowerStatement));
        Assert.Equal(PostgresLowerBody, await ScalarAsync(session, "SELECT prosrc FROM pg_proc WHERE proname = 'lower' AND pronamespace = 'public'::regnamespace"));
        Assert.Equal("SELECT $1 || ', it''s; -- kept' || $2", await ScalarAsync(session, "SELECT prosrc FROM pg_proc WHERE proname = 'join_text'"));

        // Order: domain, functions, aggregate and operator before the table, its index and its trigger.
        var order = plan.Steps.Select(s => s.ObjectName).ToList();
        Assert.True(order.FindIndex(n => n.Contains("year_domain", StringComparison.Ordinal)) < order.FindIndex(n => n.Contains("tags", StringComparison.Ordinal)), string.Join(", ", order));
        Assert.True(order.FindIndex(n => n.Contains("join_text", StringComparison.Ordinal)) < order.FindIndex(n => n.Contains("join_all", StringComparison.Ordinal)), string.Join(", ", order));
        Assert.True(order.FindIndex(n => n == "public.tags") < order.FindIndex(n => n.Contains("tags_touch", StringComparison.Ordinal)), string.Join(", ", order));

        // The objects work: the trigger fills the label, the aggregate and the operator run.
        await database.RunAsync("INSERT INTO tags (id, names, born) VALUES (1, ARRAY['A', 'B'], 1999)");
        Assert.Equal("tab\there", await ScalarAsync(session, "SELECT label FROM tags"));
        Assert.Equal(", it's; -- kepta", await ScalarAsync(session, "SELECT join_all(x) FROM (VALUES ('a')) v(x)"));
        Assert.Equal("True", await ScalarAsync(session, "SELECT 'a.c' ~<< 'abc'"));

        await AssertReadBackAsync(session, target);
    }

    [Fact]
    public async Task Postgres_changed_body_redeploys_and_removed_objects_are_dropped()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "routines_change");
        await using var session = await database.OpenAsync();
        await DeployAsync(session, Load(DialectKind.Postgres, ("a-tables.sql", PostgresTables), ("b-routines.sql", PostgresRoutines)));

        var changed = PostgresRoutines.Replace("E'tab\\there'", "'changed'", StringComparison.Ordinal);
        var target = Load(DialectKind.Postgres, ("a-tables.sql", PostgresTables), ("b-routines.sql", changed));
        var plan = await DeployAsync(session, target);
        var step = Assert.Single(plan.Steps);
        Assert.Contains(step.Sql, s => s.StartsWith("CREATE OR REPLACE FUNCTION touch()", StringComparison.Ordinal));
        Assert.Contains("'changed'", await ScalarAsync(session, "SELECT prosrc FROM pg_proc WHERE proname = 'touch'"), StringComparison.Ordinal);
        await AssertReadBackAsync(session, target);

        // A changed signature cannot be replaced: dropped and created. Removed objects are dropped.
        var withoutTrigger = PostgresTables.Substring(0, PostgresTables.IndexOf("CREATE TRIGGER", StringComparison.Ordinal));
        var reduced = changed.Substring(0, changed.IndexOf("CREATE FUNCTION reverse_match", StringComparison.Ordinal))
            + "CREATE FUNCTION add_one(integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';";
        target = Load(DialectKind.Postgres, ("a-tables.sql", withoutTrigger), ("b-routines.sql", reduced));
        plan = await DeployAsync(session, target);
        Assert.Contains(plan.Steps.SelectMany(s => s.Sql), s => s.StartsWith("DROP FUNCTION IF EXISTS public.add_one(integer)", StringComparison.Ordinal));
        Assert.Contains(plan.Steps.SelectMany(s => s.Sql), s => s.StartsWith("DROP FUNCTION IF EXISTS public.reverse_match(text, text)", StringComparison.Ordinal));
        Assert.Equal("0", await ScalarAsync(session, "SELECT count(*) FROM pg_trigger WHERE tgname = 'tags_touch'"));
        Assert.Equal("0", await ScalarAsync(session, "SELECT count(*) FROM pg_operator WHERE oprname = '~<<'"));
        Assert.Equal("0", await ScalarAsync(session, "SELECT count(*) FROM pg_proc WHERE proname = 'touch'"));
        await AssertReadBackAsync(session, target);
    }

    [Fact]
    public async Task MariaDb_delimiter_blocks_deploy_byte_for_byte_and_read_back_equal()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "routines");
        await using var session = await database.OpenAsync();
        var target = Load(DialectKind.MariaDb, ("schema.sql", MariaDbSchema));
        Assert.Equal(3, target.Verbatim.Count(v => v.ReadBack));
        var plan = await DeployAsync(session, target);
        Assert.Equal(MariaDbFeeBody, await ScalarAsync(session, "SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'add_fee'"));
        var order = plan.Steps.Select(s => s.ObjectName).ToList();
        Assert.True(order.IndexOf("notes") < order.IndexOf("notes_fee"), string.Join(", ", order));

        await database.RunAsync("CALL note('x')");
        Assert.Equal("x -- it's; \"kept\"|1.50", await ScalarAsync(session, "SELECT CONCAT(body, '|', fee) FROM notes"));
        await AssertReadBackAsync(session, target);
    }

    [Fact]
    public async Task MariaDb_objects_loaded_as_the_client_sends_them_compare_equal_and_a_changed_body_redeploys()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "routines_client");
        await using var session = await database.OpenAsync();

        // The mariadb client strips comments before sending a statement; the server keeps what it gets.
        await database.RunAsync("CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(200), fee DECIMAL(5,2))");
        await database.RunAsync("CREATE FUNCTION add_fee(p_amount DECIMAL(5,2)) RETURNS DECIMAL(5,2)\n    DETERMINISTIC\n    COMMENT 'adds the fee'\nBEGIN\n  \n  DECLARE fee DECIMAL(5,2) DEFAULT 1.50; \n  RETURN p_amount + fee;\nEND");
        await database.RunAsync("CREATE PROCEDURE note(IN p_text VARCHAR(100))\nBEGIN\n  INSERT INTO notes (body) VALUES (CONCAT(p_text, ' -- it''s; \"kept\"'));\nEND");
        await database.RunAsync("CREATE TRIGGER notes_fee BEFORE INSERT ON notes FOR EACH ROW\nBEGIN\n  SET NEW.fee = add_fee(0); \nEND");
        var target = Load(DialectKind.MariaDb, ("schema.sql", MariaDbSchema));
        await AssertReadBackAsync(session, target);

        var changed = Load(DialectKind.MariaDb, ("schema.sql", MariaDbSchema.Replace("RETURN p_amount + fee;", "RETURN p_amount + fee * 2;", StringComparison.Ordinal)));
        var plan = await DeployAsync(session, changed);
        var step = Assert.Single(plan.Steps);
        Assert.Contains(step.Sql, s => s.StartsWith("CREATE OR REPLACE FUNCTION add_fee", StringComparison.Ordinal));
        Assert.Contains("fee * 2", await ScalarAsync(session, "SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'add_fee'"), StringComparison.Ordinal);
        await AssertReadBackAsync(session, changed);

        var withoutTrigger = Load(DialectKind.MariaDb, ("schema.sql", MariaDbSchema.Substring(0, MariaDbSchema.IndexOf("DELIMITER $$", StringComparison.Ordinal))));
        await DeployAsync(session, withoutTrigger);
        Assert.Equal("0", await ScalarAsync(session, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"));
    }

    internal static Schema Load(DialectKind dialect, params (string Path, string Text)[] files)
    {
        var result = SchemaLoader.Load(SqlDialects.For(dialect), files.Select(f => new SourceFile(f.Path, f.Text)).ToArray());
        var errors = result.Diagnostics.Where(d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SB0007");
        return result.Schema;
    }

    /// <summary>Plans from the live schema to <paramref name="target"/> and deploys it; the deployer checks the result is the target.</summary>
    internal static async Task<Plan> DeployAsync(IDatabaseSession session, Schema target)
    {
        var live = await session.CreateIntrospector(State.StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        var plan = Planner.Create(live, target, EngineProfile.For(target.Dialect));
        plan = plan with { SourceFingerprint = ModelFingerprint.Compute(live), TargetFingerprint = ModelFingerprint.Compute(target) };
        Assert.False(plan.HasErrors, PlanSql.Write(plan));
        var result = await new Deployer().DeployAsync(plan, session, DeployOptions.Default, CancellationToken.None);
        Assert.Equal(DeploymentOutcome.Deployed, result.Outcome);
        return plan;
    }

    /// <summary>The live schema equals the files, and planning from it finds nothing to do.</summary>
    internal static async Task AssertReadBackAsync(IDatabaseSession session, Schema target)
    {
        var live = await session.CreateIntrospector(State.StateTableNames.Default.All).IntrospectAsync(CancellationToken.None);
        Assert.Equal(target.Verbatim.Count(v => v.ReadBack), live.Verbatim.Count(v => v.ReadBack));
        ModelAssert.Same(target, live, "read back");
        var again = Planner.Create(live, target, EngineProfile.For(target.Dialect));
        Assert.True(again.Steps.Count == 0, PlanSql.Write(again));
    }

    internal static async Task<string> ScalarAsync(IDatabaseSession session, string sql)
    {
        var rows = await session.QueryAsync(sql, null, CancellationToken.None);
        return Convert.ToString(rows[0][0], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
