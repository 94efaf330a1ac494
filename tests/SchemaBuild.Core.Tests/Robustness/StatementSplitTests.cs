using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using Xunit;

namespace SchemaBuild.Core.Tests.Robustness;

/// <summary>What the sessions check before sending a command: how many statements the server would run.</summary>
public sealed class StatementSplitTests
{
    [Theory]
    [InlineData(DialectKind.Postgres, "SELECT 1", 1)]
    [InlineData(DialectKind.Postgres, "SELECT 'a;b' AS \"c;d\" -- e;f\n;", 1)]
    [InlineData(DialectKind.Postgres, "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", 1)]
    [InlineData(DialectKind.Postgres, "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END", 1)]
    [InlineData(DialectKind.Postgres, "SELECT 1; DROP TABLE victim", 2)]
    [InlineData(DialectKind.Postgres, "COMMENT ON TABLE t IS E'x\\'; DROP TABLE victim; --'", 1)]
    [InlineData(DialectKind.MariaDb, "SELECT 'a;b', `c;d` # e;f\n", 1)]
    [InlineData(DialectKind.MariaDb, "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN IF 1 THEN SET NEW.a = 1; END IF; SET NEW.b = 2; END", 1)]
    [InlineData(DialectKind.MariaDb, "SELECT 1 /*!100000 ; DROP TABLE victim */", 2)]
    [InlineData(DialectKind.MariaDb, "SELECT 1; DROP TABLE victim;", 2)]
    public void Counts_the_statements_the_server_would_run(DialectKind dialect, string sql, int count) =>
        Assert.Equal(count, SqlDialects.For(dialect).SplitStatements(sql).Count);

    [Fact]
    public void Split_statements_are_the_text_as_written()
    {
        Assert.Equal(new[] { "SELECT 'a;b'", "CREATE TABLE t (id int)" }, SqlDialects.For(DialectKind.Postgres).SplitStatements("SELECT 'a;b';\n  CREATE TABLE t (id int) ;"));
    }
}
