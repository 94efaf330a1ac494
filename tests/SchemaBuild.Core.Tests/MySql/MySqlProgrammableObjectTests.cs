using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using Xunit;

namespace SchemaBuild.Core.Tests.MySql;

/// <summary>
/// MariaDB functions, procedures and triggers: DELIMITER blocks as the mariadb client reads them,
/// text kept byte for byte, and one canonical definition for the source and SHOW CREATE spellings
/// (definer filled in, comments stripped by the client, result type as the server prints it).
/// </summary>
public sealed class MySqlProgrammableObjectTests
{
    private const string Function = "CREATE FUNCTION add_fee(p_amount DECIMAL(5,2)) RETURNS INT\n    DETERMINISTIC\n    READS SQL DATA\nBEGIN\n  -- fee; note\n  DECLARE fee INT DEFAULT 1; # hash\n  RETURN p_amount + fee /* block */;\nEND";

    [Theory]
    [InlineData("DELIMITER ;;\n", ";;\nDELIMITER ;\n")]
    [InlineData("DELIMITER $$\n\n", " $$\n\nDELIMITER ;\n")]
    [InlineData("delimiter //\n", "//\ndelimiter ;\n")]
    public void Delimiter_blocks_are_read_and_the_text_is_kept_byte_for_byte(string open, string close)
    {
        var result = MySqlTestSupport.Parse("CREATE TABLE t (a INT);\n" + open + Function + close
            + "CREATE TABLE u (a INT);\n" + open + "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1" + close);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.Schema.Tables.Count);
        Assert.Equal(Function, result.Schema.Verbatim[0].Text);
        Assert.Equal(("function", "add_fee", true), (result.Schema.Verbatim[0].Kind, result.Schema.Verbatim[0].Name, result.Schema.Verbatim[0].ReadBack));
        Assert.Equal("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1", result.Schema.Verbatim[1].Text);
    }

    [Fact]
    public void The_server_spelling_has_the_same_definition()
    {
        var source = Single(Function + ";");
        var server = Single("DELIMITER ;;\nCREATE DEFINER=`app`@`%` FUNCTION `add_fee`(p_amount DECIMAL(5,2)) RETURNS int(11)\n    DETERMINISTIC\n    READS SQL DATA\nBEGIN\n  \n  DECLARE fee INT DEFAULT 1; \n  RETURN p_amount + fee ;\nEND;;\nDELIMITER ;\n");
        Assert.Equal(source.Definition, server.Definition);
        Assert.Equal(source, server);

        var trigger = Single("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; -- one\nEND;");
        var triggerBack = Single("CREATE DEFINER=`root`@`localhost` TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW BEGIN SET NEW.a = 1; \nEND;");
        Assert.Equal(trigger, triggerBack);
    }

    [Fact]
    public void Mysqldump_triggers_in_executable_comments_keep_balanced_text_and_the_same_definition()
    {
        const string Dumped = "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER ins_t AFTER INSERT ON t FOR EACH ROW BEGIN\n    SET @x = 1;\n  END */";
        var dumped = Single("DELIMITER ;;\n" + Dumped + ";;\nDELIMITER ;\n");
        Assert.Equal(Dumped, dumped.Text);
        Assert.Equal(Single("CREATE TRIGGER ins_t AFTER INSERT ON t FOR EACH ROW BEGIN SET @x = 1; END;"), dumped);
    }

    [Theory]
    [InlineData("RETURN p_amount + fee /* block */;", "RETURN p_amount + fee * 2;")]
    [InlineData("DECLARE fee INT DEFAULT 1;", "DECLARE fee INT DEFAULT 2;")]
    [InlineData("    DETERMINISTIC\n", "")]
    public void A_changed_body_or_characteristic_is_a_different_definition_replaced_in_place(string before, string after)
    {
        var from = Single(Function + ";");
        var to = Single(Function.Replace(before, after, System.StringComparison.Ordinal) + ";");
        Assert.NotEqual(from, to);
        var plan = Planner.Create(new Schema(DialectKind.MariaDb) { Verbatim = EquatableList<VerbatimStatement>.Of(new[] { from }) },
            new Schema(DialectKind.MariaDb) { Verbatim = EquatableList<VerbatimStatement>.Of(new[] { to }) }, EngineProfile.For(DialectKind.MariaDb));
        var step = Assert.Single(plan.Steps);
        Assert.Equal("CREATE OR REPLACE" + to.Text.Substring("CREATE".Length), Assert.Single(step.Sql));
    }

    [Fact]
    public void MySql_has_no_create_or_replace_for_routines_so_a_changed_body_is_dropped_and_created()
    {
        var from = Single(Function + ";");
        var to = Single(Function.Replace("DEFAULT 1;", "DEFAULT 2;", System.StringComparison.Ordinal) + ";");
        var plan = Planner.Create(new Schema(DialectKind.MySql) { Verbatim = EquatableList<VerbatimStatement>.Of(new[] { from }) },
            new Schema(DialectKind.MySql) { Verbatim = EquatableList<VerbatimStatement>.Of(new[] { to }) }, EngineProfile.For(DialectKind.MySql));
        Assert.Equal(new[] { "DROP FUNCTION IF EXISTS `add_fee`", to.Text }, Assert.Single(plan.Steps).Sql);
    }

    [Fact]
    public void Written_schema_puts_bodies_in_delimiter_blocks_and_reads_back()
    {
        var schema = MySqlTestSupport.Parse("CREATE TABLE t (a INT);\nDELIMITER ;;\n" + Function + ";;\nDELIMITER ;\n").Schema;
        var text = MySqlTestSupport.Dialect.Writer.WriteSchema(MySqlTestSupport.Dialect.Normalize(schema));
        Assert.Contains("DELIMITER ;;\n" + Function + ";;\nDELIMITER ;", text, System.StringComparison.Ordinal);
        var again = MySqlTestSupport.Parse(text);
        Assert.Empty(again.Diagnostics);
        Assert.Equal(schema.Verbatim.Single(), again.Schema.Verbatim.Single());
    }

    private static VerbatimStatement Single(string sql)
    {
        var result = MySqlTestSupport.Parse(sql);
        Assert.Empty(result.Diagnostics);
        return result.Schema.Verbatim.Single();
    }
}
