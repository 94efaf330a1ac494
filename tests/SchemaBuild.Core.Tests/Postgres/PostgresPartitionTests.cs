using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using Xunit;

namespace SchemaBuild.Core.Tests.Postgres;

/// <summary>PARTITION BY, PARTITION OF, ATTACH PARTITION and INHERITS in the normalized model, and the writer's round trip.</summary>
public sealed class PostgresPartitionTests
{
    [Fact]
    public void Partition_by_keeps_method_and_key_parts()
    {
        var table = PostgresTestSupport.Model("CREATE TABLE t (a int, b text) PARTITION BY HASH (a, (lower(b)));").Tables.Single();
        Assert.Equal(PartitionMethod.Hash, table.Partitioning!.Method);
        Assert.Equal("a", table.Partitioning.KeyParts[0].Column);
        Assert.Equal("lower(b)", table.Partitioning.KeyParts[1].Expression);
    }

    [Fact]
    public void Partition_of_and_attach_partition_give_the_same_partition_in_the_servers_spelling()
    {
        var written = PostgresTestSupport.Model("CREATE TABLE t (d date) PARTITION BY RANGE (d); CREATE TABLE p PARTITION OF t FOR VALUES FROM ('2020-01-01'::date) TO (MAXVALUE);");
        var dumped = PostgresTestSupport.Model(
            "CREATE TABLE t (d date) PARTITION BY RANGE (d); CREATE TABLE p (d date NOT NULL, CHECK (d > '2000-01-01'));\n"
            + "ALTER TABLE ONLY t ATTACH PARTITION p FOR VALUES FROM ('2020-01-01') TO (maxvalue);");
        var partition = written.Tables.Single(t => t.Name.Name == "p");
        Assert.Equal(new QualifiedName("public", "t"), partition.PartitionOf);
        Assert.Equal("FOR VALUES FROM ('2020-01-01') TO (MAXVALUE)", partition.PartitionBound);
        Assert.Empty(partition.Columns);
        Assert.Equal(written, dumped);
    }

    [Theory]
    [InlineData("FOR VALUES IN ('a', 'b')", "FOR VALUES IN ('a', 'b')")]
    [InlineData("FOR VALUES WITH (MODULUS 4, REMAINDER 1)", "FOR VALUES WITH (modulus 4, remainder 1)")]
    [InlineData("DEFAULT", "DEFAULT")]
    public void Bounds_are_kept_as_the_server_prints_them(string bound, string expected)
    {
        var model = PostgresTestSupport.Model("CREATE TABLE t (k text) PARTITION BY LIST (k); CREATE TABLE p PARTITION OF t " + bound + ";");
        Assert.Equal(expected, model.Tables.Single(t => t.Name.Name == "p").PartitionBound);
    }

    [Theory]
    [InlineData("timestamp", "FROM ('2024-01-01') TO ('2024-02-01 00:00')", "FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2024-02-01 00:00:00')")]
    [InlineData("timestamp", "FROM ('2024-01-01T06:30:00.250') TO (MAXVALUE)", "FOR VALUES FROM ('2024-01-01 06:30:00.25') TO (MAXVALUE)")]
    [InlineData("timestamptz", "FROM ('2024-01-01') TO ('2024-02-01 02:00:00+02')", "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00')")]
    [InlineData("date", "FROM ('2024-1-1') TO ('2024-02-01 00:00:00')", "FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')")]
    [InlineData("text", "FROM ('2024-1-1') TO ('b')", "FOR VALUES FROM ('2024-1-1') TO ('b')")]
    public void Date_and_time_bounds_written_in_shorter_forms_compare_in_the_servers_spelling(string keyType, string bound, string expected)
    {
        var model = PostgresTestSupport.Model($"CREATE TABLE ev (at {keyType} NOT NULL, n int) PARTITION BY RANGE (at);\nCREATE TABLE ev_a PARTITION OF ev FOR VALUES {bound};\n");
        Assert.Equal(expected, model.Tables.Single(t => t.Name.Name == "ev_a").PartitionBound);
    }

    [Fact]
    public void A_changed_bound_is_planned_as_detach_and_attach_in_one_step()
    {
        var from = PostgresTestSupport.Model("CREATE TABLE ev (at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE ev_a PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');\n");
        var to = PostgresTestSupport.Model("CREATE TABLE ev (at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE ev_a PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2024-03-01');\n");
        var plan = Planner.Create(from, to, EngineProfile.For(DialectKind.Postgres));
        Assert.DoesNotContain(plan.Diagnostics, d => d.Id == "SB4007" || d.Severity == Core.Diagnostics.DiagnosticSeverity.Error);
        var step = Assert.Single(plan.Steps);
        Assert.Equal(
            new[] { "ALTER TABLE public.ev DETACH PARTITION public.ev_a", "ALTER TABLE public.ev ATTACH PARTITION public.ev_a FOR VALUES FROM ('2024-01-01') TO ('2024-03-01')" },
            step.Sql);
    }

    [Fact]
    public void Inherits_child_keeps_only_its_own_columns_and_the_writer_round_trips()
    {
        var model = PostgresTestSupport.Model("CREATE TABLE base (id int, note text); CREATE TABLE child (id int, extra int) INHERITS (base);"
            + "CREATE TABLE t (d date) PARTITION BY RANGE (d); CREATE TABLE p PARTITION OF t DEFAULT;");
        var child = model.Tables.Single(t => t.Name.Name == "child");
        Assert.Equal(new[] { new QualifiedName("public", "base") }, child.Inherits);
        Assert.Equal(new[] { "extra" }, child.Columns.Select(c => c.Name));
        Assert.Equal(model, PostgresTestSupport.Model(PostgresTestSupport.Dialect.Writer.WriteSchema(model)));
    }
}
