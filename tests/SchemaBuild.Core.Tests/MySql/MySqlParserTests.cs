using System.Linq;
using SchemaBuild.Core.Model;
using Xunit;

namespace SchemaBuild.Core.Tests.MySql;

/// <summary>What the parser reads, before normalization.</summary>
public sealed class MySqlParserTests
{
    private static Schema Raw(string sql) => MySqlFidelityTests.ParseClean("schema.sql", sql);

    private static Table RawTable(string sql) => Raw(sql).Tables.Single();

    [Fact]
    public void Column_attributes()
    {
        var table = RawTable(@"CREATE TABLE t (
            a INT(11) UNSIGNED ZEROFILL NOT NULL DEFAULT 5 AUTO_INCREMENT COMMENT 'c',
            b VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_bin NULL,
            c TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
            d INT GENERATED ALWAYS AS (a + 1) STORED INVISIBLE,
            e ENUM('x','y') DEFAULT 'x');");
        var a = table.Columns[0];
        Assert.Equal(("int", 11, true, true), (a.Type.Name, a.Type.Length, a.Type.Unsigned, a.Type.Zerofill));
        Assert.False(a.Nullable);
        Assert.True(a.AutoIncrement);
        Assert.Equal(ColumnDefault.Literal("5"), a.Default);
        Assert.Equal("c", a.Comment);
        Assert.Equal(("latin1", "latin1_bin"), (table.Columns[1].Charset, table.Columns[1].Collation));
        Assert.Equal(ColumnDefault.Expression("current_timestamp()"), table.Columns[2].Default);
        Assert.Equal("current_timestamp()", table.Columns[2].OnUpdate);
        Assert.Equal(new GeneratedColumn("`a` + 1", true), table.Columns[3].Generated);
        Assert.True(table.Columns[3].Invisible);
        Assert.Equal(new[] { "x", "y" }, table.Columns[4].Type.Values);
    }

    [Fact]
    public void Table_constraints_and_options()
    {
        var table = RawTable(@"CREATE TABLE t (
            id INT, b INT, c VARCHAR(50), g POINT NOT NULL, x TEXT,
            CONSTRAINT pk PRIMARY KEY (id),
            CONSTRAINT uq UNIQUE KEY (b),
            KEY k USING HASH (c(10) DESC, b) COMMENT 'kc',
            FULLTEXT INDEX ft (x),
            SPATIAL KEY (g),
            CONSTRAINT fk FOREIGN KEY (b) REFERENCES other (id) ON DELETE CASCADE ON UPDATE SET NULL,
            CONSTRAINT ck CHECK (b > 0)
        ) ENGINE=MyISAM DEFAULT CHARSET=latin1 COLLATE latin1_bin ROW_FORMAT=DYNAMIC COMMENT='tc' AUTO_INCREMENT=7 STATS_PERSISTENT=0;");
        Assert.Equal("PRIMARY", table.PrimaryKey!.Name);
        Assert.Equal(new[] { "uq", "k", "ft", string.Empty }, table.Indexes.Select(i => i.Name));
        var k = table.Indexes[1];
        Assert.Equal(("hash", "kc"), (k.Method, k.Comment));
        Assert.Equal((10, SortOrder.Descending), (k.Parts[0].PrefixLength, k.Parts[0].Order));
        Assert.Equal(new[] { IndexKind.Unique, IndexKind.Regular, IndexKind.FullText, IndexKind.Spatial }, table.Indexes.Select(i => i.Kind));
        var fk = Assert.Single(table.ForeignKeys);
        Assert.Equal(("fk", "other", ReferentialAction.Cascade, ReferentialAction.SetNull), (fk.Name, fk.ReferencedTable.Name, fk.OnDelete, fk.OnUpdate));
        Assert.Equal(new CheckConstraint("ck", "`b` > 0"), Assert.Single(table.Checks));
        Assert.Equal(("MyISAM", "latin1", "latin1_bin", "DYNAMIC"), (table.Options.Engine, table.Options.Charset, table.Options.Collation, table.Options.RowFormat));
        Assert.Equal("tc", table.Comment);
        Assert.Equal(new[] { new ObjectOption("stats_persistent", "0") }, table.Options.Other);
    }

    [Fact]
    public void Inline_keys_are_lifted_to_the_table()
    {
        var table = RawTable("CREATE TABLE t (id INT PRIMARY KEY, code INT UNIQUE, p INT REFERENCES parent (id), n INT CHECK (n > 1));");
        Assert.Equal("id", table.PrimaryKey!.Parts.Single().Column);
        Assert.Equal(IndexKind.Unique, table.Indexes.Single().Kind);
        Assert.Equal("parent", table.ForeignKeys.Single().ReferencedTable.Name);
        Assert.Equal("n", table.Checks.Single().Name);
    }

    [Fact]
    public void Create_index_attaches_to_its_table()
    {
        var table = RawTable("CREATE TABLE t (a INT, b INT); CREATE UNIQUE INDEX ix ON t (a, b DESC) COMMENT 'c';");
        var index = table.Indexes.Single();
        Assert.Equal(("ix", IndexKind.Unique, "c"), (index.Name, index.Kind, index.Comment));
    }

    [Fact]
    public void Create_view_with_options_and_check_option()
    {
        var view = Raw("CREATE OR REPLACE ALGORITHM=MERGE DEFINER=`root`@`localhost` SQL SECURITY INVOKER VIEW v (x) AS SELECT 1 WITH LOCAL CHECK OPTION;").Views.Single();
        Assert.Equal("v", view.Name.Name);
        Assert.Equal(new[] { "x" }, view.ColumnNames);
        Assert.Equal("LOCAL", view.CheckOption);
        Assert.Equal("SELECT 1", view.Definition);
        Assert.Equal(new[] { new ObjectOption("algorithm", "merge"), new ObjectOption("security", "invoker") }, view.Options);
    }

    [Fact]
    public void Dump_statements_are_accepted_and_ignored()
    {
        var schema = Raw("SET NAMES utf8mb4; USE shop; CREATE DATABASE IF NOT EXISTS shop DEFAULT CHARSET utf8mb4; CREATE TABLE t (a INT);");
        Assert.Single(schema.Tables);
    }

    [Fact]
    public void Routine_bodies_with_nested_blocks_are_one_verbatim_statement()
    {
        var result = MySqlTestSupport.Parse(@"CREATE PROCEDURE p()
BEGIN
  DECLARE x INT;
  IF x > 1 THEN SET x = 2; END IF;
  CASE x WHEN 1 THEN SET x = 3; ELSE BEGIN SET x = 4; END; END CASE;
  SET x = CASE WHEN x > 1 THEN 1 ELSE 2 END;
END;
CREATE TABLE after_it (a INT);");
        var verbatim = Assert.Single(result.Schema.Verbatim);
        Assert.Equal(("procedure", "p"), (verbatim.Kind, verbatim.Name));
        Assert.EndsWith("END", verbatim.Text);
        Assert.Single(result.Schema.Tables);
    }

    [Fact]
    public void Annotations_attach_to_tables_and_columns()
    {
        var result = MySqlTestSupport.Parse(@"-- schema:renamed-from old_t
CREATE TABLE t (
  a INT, -- schema:renamed-from old_a
  -- schema:deprecated ""going away""
  b INT
);
-- schema:allow SB1002 t.c ""dropped on purpose""");
        Assert.Empty(result.Diagnostics);
        var table = result.Schema.Tables.Single();
        Assert.Equal("old_t", table.Annotations.RenamedFrom);
        Assert.Equal("old_a", table.Columns[0].Annotations.RenamedFrom);
        Assert.Equal("going away", table.Columns[1].Annotations.Deprecated);
        var allowance = Assert.Single(result.Schema.Allowances);
        Assert.Equal(("SB1002", "t.c"), (allowance.DiagnosticId, allowance.ObjectName));
    }

    [Fact]
    public void Spans_point_at_the_names()
    {
        var table = RawTable("\nCREATE TABLE t (\n  id INT\n);");
        Assert.Equal((2, 14), (table.Span.Line, table.Span.Column));
        Assert.Equal((3, 3), (table.Columns[0].Span.Line, table.Columns[0].Span.Column));
    }
}
