using System.Linq;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Tests.Infrastructure;
using Xunit;

namespace SchemaBuild.Core.Tests.MySql;

/// <summary>Two spellings of one schema normalize to equal models.</summary>
public sealed class MySqlNormalizerTests
{
    private static void Same(string first, string second) =>
        ModelAssert.Equal(MySqlTestSupport.Normalized(first), MySqlTestSupport.Normalized(second), first + "\n  vs\n" + second);

    [Theory]
    [InlineData("a INT(11)", "a int")]
    [InlineData("a INTEGER", "a INT")]
    [InlineData("a BOOL", "a TINYINT(1)")]
    [InlineData("a BOOLEAN DEFAULT TRUE", "a tinyint(1) DEFAULT 1")]
    [InlineData("a TINYINT(4)", "a TINYINT")]
    [InlineData("a BIGINT(20) UNSIGNED", "a bigint unsigned")]
    [InlineData("a INT ZEROFILL", "a INT(10) UNSIGNED ZEROFILL")]
    [InlineData("a DEC", "a DECIMAL(10,0)")]
    [InlineData("a NUMERIC(8)", "a decimal(8,0)")]
    [InlineData("a FIXED(8,2)", "a DECIMAL(8,2)")]
    [InlineData("a REAL", "a DOUBLE")]
    [InlineData("a DOUBLE PRECISION", "a DOUBLE")]
    [InlineData("a FLOAT(30)", "a DOUBLE")]
    [InlineData("a CHARACTER VARYING(10)", "a VARCHAR(10)")]
    [InlineData("a CHAR", "a CHAR(1)")]
    [InlineData("a NCHAR(2)", "a CHAR(2) CHARACTER SET utf8mb3")]
    [InlineData("a TEXT(60)", "a TINYTEXT")]
    [InlineData("a TEXT(100)", "a TEXT")]
    [InlineData("a YEAR(4)", "a YEAR")]
    [InlineData("a DATETIME(0)", "a DATETIME")]
    [InlineData("a SERIAL", "a BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE")]
    public void Type_synonyms(string first, string second) =>
        Same("CREATE TABLE t (" + first + ");", "CREATE TABLE t (" + second + ");");

    [Fact]
    public void Primary_key_implies_not_null_and_inline_equals_out_of_line() =>
        Same("CREATE TABLE t (id INT PRIMARY KEY);", "CREATE TABLE t (id INT NOT NULL, CONSTRAINT whatever PRIMARY KEY (id));");

    [Fact]
    public void Key_equals_index_and_implicit_names_follow_the_server() =>
        Same(
            "CREATE TABLE t (a INT, b INT, UNIQUE (a, b), UNIQUE (a), KEY (a), INDEX (b));",
            "CREATE TABLE t (a INT, b INT, UNIQUE KEY a (a, b), UNIQUE INDEX a_2 (a), INDEX a_3 (a), KEY b (b));");

    [Fact]
    public void Inline_and_out_of_line_unique_references_and_check_are_the_same() =>
        Same(
            "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (x INT UNIQUE, y INT REFERENCES p (id), CONSTRAINT ck CHECK (x > 0));",
            "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (x INT, y INT, UNIQUE KEY x (x), KEY y (y), CONSTRAINT c_ibfk_1 FOREIGN KEY (y) REFERENCES p (id), CONSTRAINT ck CHECK (`x` > 0));");

    [Fact]
    public void Foreign_key_gets_an_index_named_after_the_constraint_unless_one_leads_with_its_columns()
    {
        var table = MySqlTestSupport.Normalized(
            "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (a INT, b INT, KEY (b, a), CONSTRAINT fa FOREIGN KEY (a) REFERENCES p (id), CONSTRAINT fb FOREIGN KEY (b) REFERENCES p (id));")
            .Tables.Single(t => t.Name.Name == "c");
        Assert.Equal(new[] { "b", "fa" }, table.Indexes.Select(i => i.Name));
    }

    [Fact]
    public void Restrict_equals_no_action() =>
        Same(
            "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (a INT, FOREIGN KEY (a) REFERENCES p (id) ON DELETE RESTRICT);",
            "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (a INT, FOREIGN KEY (a) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE RESTRICT);");

    [Fact]
    public void Charset_and_collation_are_inherited_and_explicit()
    {
        var table = MySqlTestSupport.Table("CREATE TABLE t (a VARCHAR(5), b VARCHAR(5) CHARSET latin1, c TEXT COLLATE utf8mb4_bin, d INT) CHARSET utf8mb4;");
        Assert.Equal(("utf8mb4", "utf8mb4_general_ci"), (table.Columns[0].Charset, table.Columns[0].Collation));
        Assert.Equal(("latin1", "latin1_swedish_ci"), (table.Columns[1].Charset, table.Columns[1].Collation));
        Assert.Equal(("utf8mb4", "utf8mb4_bin"), (table.Columns[2].Charset, table.Columns[2].Collation));
        Assert.Equal((null, null), (table.Columns[3].Charset, table.Columns[3].Collation));
        Assert.Equal(("InnoDB", "utf8mb4", "utf8mb4_general_ci"), (table.Options.Engine, table.Options.Charset, table.Options.Collation));
    }

    [Fact]
    public void Utf8_is_utf8mb3() =>
        Same("CREATE TABLE t (a VARCHAR(5)) CHARSET utf8;", "CREATE TABLE t (a VARCHAR(5) COLLATE utf8mb3_general_ci) DEFAULT CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci ENGINE=innodb;");

    [Theory]
    [InlineData("a INT DEFAULT NULL", "a INT")]
    [InlineData("a DECIMAL(6,2) DEFAULT 1.5", "a DECIMAL(6,2) DEFAULT '1.50'")]
    [InlineData("a INT DEFAULT '7'", "a INT DEFAULT 7")]
    [InlineData("a DOUBLE DEFAULT 2.50", "a DOUBLE DEFAULT 2.5")]
    [InlineData("a TIMESTAMP DEFAULT NOW()", "a TIMESTAMP NULL DEFAULT current_timestamp()")]
    [InlineData("a DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE NOW(3)", "a DATETIME(3) DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3)")]
    [InlineData("a DATETIME DEFAULT '2020-01-01'", "a DATETIME DEFAULT '2020-01-01 00:00:00'")]
    [InlineData("a BIT(4) DEFAULT 5", "a BIT(4) DEFAULT b'0101'")]
    [InlineData("a VARCHAR(5) DEFAULT (CONCAT('a', 'b'))", "a VARCHAR(5) DEFAULT concat('a','b')")]
    [InlineData("a INT DEFAULT (1)", "a INT DEFAULT 1")]
    [InlineData("a VARBINARY(4) DEFAULT 0x41", "a VARBINARY(4) DEFAULT 'A'")]
    public void Defaults_are_spelled_as_the_server_prints_them(string first, string second) =>
        Same("CREATE TABLE t (" + first + ");", "CREATE TABLE t (" + second + ");");

    [Theory]
    [InlineData("a + b * 2", "(`a`) + ((`b` * 2))")]
    [InlineData("LOWER(c)", "lcase(`c`)")]
    [InlineData("a % 2", "a MOD 2")]
    [InlineData("a != b", "a <> b")]
    [InlineData("NOT (a > 1)", "a <= 1")]
    [InlineData("a = 1 AND (b = 2 AND a = 3)", "a = 1 and b = 2 and a = 3")]
    [InlineData("DATE_ADD(d, INTERVAL 1 DAY)", "d + interval 1 day")]
    [InlineData("SUBSTRING(c FROM 1 FOR 2)", "substr(c, 1, 2)")]
    [InlineData("c LIKE 'x%' OR c IS NULL", "(c like 'x%') or (c is null)")]
    public void Generated_expressions_converge(string first, string second) =>
        Same(
            "CREATE TABLE t (a INT, b INT, c VARCHAR(9), d DATE, g INT AS (" + first + "));",
            "CREATE TABLE t (a INT, b INT, c VARCHAR(9), d DATE, g INT AS (" + second + "));");

    [Fact]
    public void Views_converge_with_the_server_rewrite() =>
        Same(
            "CREATE TABLE t (id INT, n VARCHAR(5)); CREATE VIEW v (a, b) AS SELECT id, COUNT(*) FROM t GROUP BY id;",
            "CREATE TABLE t (id INT, n VARCHAR(5)); CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW `v` AS select `t`.`id` AS `a`,count(0) AS `b` from `t` group by `t`.`id`;");

    [Fact]
    public void View_joins_converge() =>
        Same(
            "CREATE TABLE a (id INT); CREATE TABLE b (id INT, x INT); CREATE VIEW v AS SELECT a.id, x FROM a INNER JOIN b USING (id), b AS c WHERE c.x > 1;",
            "CREATE TABLE a (id INT); CREATE TABLE b (id INT, x INT); CREATE VIEW v AS select `a`.`id` AS `id`,`b`.`x` AS `x` from ((`a` join `b` on(`a`.`id` = `b`.`id`)) join `b` `c`) where `c`.`x` > 1;");

    [Fact]
    public void Auto_increment_table_option_is_dropped_and_elements_are_sorted()
    {
        var table = MySqlTestSupport.Table("CREATE TABLE t (b INT, a INT, KEY z (b), KEY y (a), CHECK (a > 0), CONSTRAINT c0 CHECK (b > 0)) AUTO_INCREMENT=50;");
        Assert.Equal(new[] { "y", "z" }, table.Indexes.Select(i => i.Name));
        Assert.Equal(new[] { "c0", "CONSTRAINT_1" }, table.Checks.Select(c => c.Name));
        Assert.Equal(new[] { "b", "a" }, table.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Json_is_longtext_with_a_validity_check_on_mariadb()
    {
        var table = MySqlTestSupport.Table("CREATE TABLE t (j JSON);");
        Assert.Equal(("longtext", "utf8mb4_bin"), (table.Columns[0].Type.Name, table.Columns[0].Collation));
        Assert.Equal(new CheckConstraint("j", "json_valid(`j`)"), table.Checks.Single());
    }

    [Fact]
    public void Normalize_is_idempotent()
    {
        var once = MySqlTestSupport.Normalized(System.IO.File.ReadAllText(System.IO.Path.Combine(MySqlFidelityTests.CorpusFolder, "36_expressions.sql")));
        ModelAssert.Equal(once, MySqlTestSupport.Dialect.Normalize(once));
    }
}
