using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning.Postgres;
using SchemaBuild.Core.Tests.Rules;
using Xunit;

namespace SchemaBuild.Core.Tests.Planning;

/// <summary>
/// What a PostgreSQL ghost copy would refuse at deploy is reported at plan time: SB4010 (the replica
/// identity does not cover the copy key) and SB4011 (a dependent the swap cannot carry across).
/// </summary>
public sealed class PostgresGhostCopyCheckTests
{
    private const string Widen = "n bigint";

    [Fact]
    public void A_table_with_a_primary_key_copies_along_it_quietly()
    {
        var diagnostics = Diagnostics("CREATE TABLE t (id int PRIMARY KEY, n integer);\nCREATE VIEW t_v AS SELECT id, n FROM t;");
        Assert.Contains(diagnostics, d => d.Id == "SB4001");
        Assert.DoesNotContain(diagnostics, d => d.Id is "SB4010" or "SB4011");
    }

    [Fact]
    public void A_unique_key_without_a_primary_key_is_not_covered_by_the_default_replica_identity()
    {
        var diagnostics = Diagnostics("CREATE TABLE t (code int NOT NULL, n integer, CONSTRAINT t_code_key UNIQUE (code));");
        var error = Assert.Single(diagnostics, d => d.Id == "SB4010");
        Assert.Equal("public.t", error.Object);
        Assert.Contains("replica identity (DEFAULT)", error.Message);
        Assert.Contains("schema:allow SB4010 public.t \"", error.Message);
        Assert.Equal(("Schema/desired.sql", 1), (error.Span.File, error.Span.Line));
    }

    [Fact]
    public void An_allowance_on_the_table_acknowledges_it()
    {
        const string baseline = "CREATE TABLE t (code int NOT NULL, n integer, CONSTRAINT t_code_key UNIQUE (code));";
        var desired = "-- schema:allow SB4010 t \"replica identity set on the server\"\n" + baseline.Replace("n integer", Widen, System.StringComparison.Ordinal);
        var error = Assert.Single(RuleCatalogTests.DiagnosticsOf("p", baseline, desired), d => d.Id == "SB4010");
        Assert.True(error.Acknowledged);
    }

    [Fact]
    public void A_table_without_any_key_is_SB4002_only()
    {
        var diagnostics = Diagnostics("CREATE TABLE t (code int, n integer);");
        Assert.Contains(diagnostics, d => d.Id == "SB4002");
        Assert.DoesNotContain(diagnostics, d => d.Id == "SB4010");
    }

    [Fact]
    public void A_materialized_view_over_a_view_over_the_table_is_named()
    {
        var diagnostics = Diagnostics("CREATE TABLE t (id int PRIMARY KEY, n integer);\nCREATE VIEW t_v AS SELECT id, n FROM t;\nCREATE MATERIALIZED VIEW t_m AS SELECT count(*) AS c FROM t_v;");
        var error = Assert.Single(diagnostics, d => d.Id == "SB4011");
        Assert.Contains("materialized view public.t_m", error.Message);
        Assert.Contains("schema:allow SB4011 public.t \"", error.Message);
    }

    [Fact]
    public void A_materialized_view_over_another_table_is_fine()
    {
        var diagnostics = Diagnostics("CREATE TABLE t (id int PRIMARY KEY, n integer);\nCREATE TABLE tt (id int PRIMARY KEY);\nCREATE MATERIALIZED VIEW tt_m AS SELECT count(*) AS c FROM tt;");
        Assert.DoesNotContain(diagnostics, d => d.Id == "SB4011");
    }

    [Fact]
    public void A_materialized_view_dropped_earlier_in_the_plan_no_longer_blocks()
    {
        const string tables = "CREATE TABLE t (id int PRIMARY KEY, n integer);";
        var diagnostics = RuleCatalogTests.DiagnosticsOf("p", tables + "\nCREATE MATERIALIZED VIEW t_m AS SELECT count(*) AS c FROM t;", tables.Replace("n integer", Widen, System.StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Id == "SB4001");
        Assert.DoesNotContain(diagnostics, d => d.Id == "SB4011");
    }

    [Fact]
    public void A_rule_on_the_table_is_named()
    {
        var diagnostics = Diagnostics("CREATE TABLE t (id int PRIMARY KEY, n integer);\nCREATE RULE t_keep AS ON DELETE TO public.t DO INSTEAD NOTHING;");
        var error = Assert.Single(diagnostics, d => d.Id == "SB4011");
        Assert.Contains("rule", error.Message);
        Assert.Contains("t_keep", error.Message);
    }

    [Fact]
    public void Inheritance_is_refused()
    {
        var diagnostics = Diagnostics("CREATE TABLE t (id int PRIMARY KEY, n integer);\nCREATE TABLE t_child (extra int) INHERITS (t);");
        Assert.Contains(diagnostics, d => d.Id == "SB4011" && d.Object == "public.t" && d.Message.Contains("inheritance", System.StringComparison.Ordinal));
    }

    [Fact]
    public void The_copy_key_follows_the_replica_identity()
    {
        var primary = new[] { "id" };
        var index = new[] { "code" };
        Assert.Equal(primary, PostgresCopyKey.Of(PostgresCopyKey.Parse("d"), primary, index));
        Assert.Equal(primary, PostgresCopyKey.Of(PostgresCopyKey.Parse("f"), primary, index));
        Assert.Equal(index, PostgresCopyKey.Of(PostgresCopyKey.Parse("i"), primary, index));
        Assert.Empty(PostgresCopyKey.Of(PostgresCopyKey.Parse("n"), primary, index));
    }

    [Fact]
    public void A_unique_key_must_cover_exactly_the_copy_key()
    {
        var table = new Table(new QualifiedName(null, "t"))
        {
            Indexes = EquatableList<Index>.Of(
                new Index("a_b", IndexKind.Unique, EquatableList<IndexKeyPart>.Of(IndexKeyPart.ForColumn("a"), IndexKeyPart.ForColumn("b"))),
                new Index("c_part", IndexKind.Unique, EquatableList<IndexKeyPart>.Of(IndexKeyPart.ForColumn("c"))) { Predicate = "(c > 0)" }),
        };
        Assert.True(PostgresCopyKey.IsUniqueKeyOf(table, new[] { "b", "a" }));
        Assert.False(PostgresCopyKey.IsUniqueKeyOf(table, new[] { "a" }));
        Assert.False(PostgresCopyKey.IsUniqueKeyOf(table, new[] { "c" }));
    }

    /// <summary>The diagnostics of widening <c>n</c> from integer to bigint (a ghost copy) with the rest of the schema unchanged.</summary>
    private static System.Collections.Generic.IReadOnlyList<Core.Diagnostics.Diagnostic> Diagnostics(string baseline) =>
        RuleCatalogTests.DiagnosticsOf("p", baseline, baseline.Replace("n integer", Widen, System.StringComparison.Ordinal));
}
