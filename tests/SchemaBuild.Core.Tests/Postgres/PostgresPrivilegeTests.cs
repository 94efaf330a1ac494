using System.Linq;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Serialization;
using Xunit;

namespace SchemaBuild.Core.Tests.Postgres;

/// <summary>GRANT/REVOKE folded into access lists; unmodelled forms stay verbatim; grants on undefined objects are SB0004.</summary>
public sealed class PostgresPrivilegeTests
{
    [Fact]
    public void Statements_that_restore_the_default_leave_no_access_list()
    {
        var model = PostgresTestSupport.Model("CREATE TABLE t (id int); GRANT ALL ON t TO reader; REVOKE ALL PRIVILEGES ON TABLE public.t FROM reader; GRANT USAGE ON SCHEMA public TO PUBLIC;");
        Assert.Empty(model.Privileges);
        Assert.Empty(model.Verbatim);
    }

    [Fact]
    public void All_means_every_privilege_of_the_kind_and_a_sequence_named_as_a_table_is_a_sequence()
    {
        var model = PostgresTestSupport.Model("CREATE SEQUENCE s; CREATE TABLE t (id int); GRANT ALL ON s, t TO \"Writer\", GROUP readers; REVOKE USAGE ON SCHEMA public FROM PUBLIC;");
        Assert.Equal(new[] { "SCHEMA public", "SEQUENCE public.s", "TABLE public.t" }, model.Privileges.Select(p => p.Key));
        Assert.Empty(model.Privileges[0].Grants);
        Assert.Equal(new[] { "USAGE", "SELECT", "UPDATE" }, model.Privileges[1].Grants.Single(g => g.Grantee == "Writer").Privileges);
        Assert.Equal(7, model.Privileges[2].Grants.Single(g => g.Grantee == "readers").Privileges.Count);
    }

    [Fact]
    public void Unmodelled_forms_stay_verbatim_and_an_undefined_object_is_reported()
    {
        var result = PostgresTestSupport.Parse(
            "CREATE TABLE t (id int); GRANT reader TO writer; GRANT SELECT (id) ON t TO reader; GRANT EXECUTE ON FUNCTION f(int) TO reader; "
            + "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader; GRANT SELECT ON t TO CURRENT_USER; GRANT SELECT ON missing TO reader;");
        Assert.Equal(5, result.Schema.Verbatim.Count);
        var unresolved = PostgresTestSupport.Single(result, "SB0004");
        Assert.Contains("public.missing", unresolved.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void The_writer_and_the_json_round_trip_keep_the_access_lists()
    {
        var model = PostgresTestSupport.Model("CREATE SCHEMA app; CREATE TABLE app.t (id int); GRANT SELECT ON app.t TO reader WITH GRANT OPTION; GRANT CREATE ON SCHEMA app TO PUBLIC;");
        var written = PostgresTestSupport.Dialect.Writer.WriteSchema(model);
        Assert.Contains("GRANT SELECT ON TABLE app.t TO reader WITH GRANT OPTION", written, System.StringComparison.Ordinal);
        Assert.Equal(model.Privileges, PostgresTestSupport.Model(written).Privileges);
        Assert.Equal(model, ModelSerializer.ReadSchema(Serialization.Json.JsonParser.Parse(ModelSerializer.ToJson(model, includeSource: true))));
        Assert.Empty(SchemaDiffer.Diff(model, PostgresTestSupport.Model(written)).Changes);
    }

    [Fact]
    public void A_view_dropped_and_created_again_is_granted_what_it_held_before_its_grants_change()
    {
        var from = PostgresTestSupport.Model("CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a, b FROM t; GRANT SELECT ON v TO reader; GRANT SELECT, UPDATE ON v TO writer;");
        var to = PostgresTestSupport.Model("CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a FROM t; GRANT SELECT ON v TO reader; GRANT SELECT ON v TO writer;");
        var plan = Core.Planning.Planner.Create(from, to, Core.Dialects.EngineProfile.For(DialectKind.Postgres));
        var sql = plan.Steps.SelectMany(s => s.Sql).ToList();
        var created = sql.FindIndex(s => s.StartsWith("CREATE VIEW", System.StringComparison.Ordinal));
        Assert.True(created > 0, string.Join("\n", sql));
        Assert.Equal(new[] { "GRANT SELECT ON TABLE public.v TO reader", "GRANT SELECT, UPDATE ON TABLE public.v TO writer", "REVOKE UPDATE ON TABLE public.v FROM writer" }, sql.Skip(created + 1));
    }
}
