using System.Linq;
using SchemaBuild.Core.Model;
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
