using System.Linq;
using Xunit;

namespace SchemaBuild.Core.Tests.Rules;

/// <summary>SB6002: an index covers a foreign key when its leading key columns are the key's columns, in any order.</summary>
public sealed class ForeignKeyIndexTests
{
    private const string Parent = "CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));\n";

    [Theory]
    [InlineData("CREATE INDEX c_ba ON c (b, a);", false)] // the key's columns in another order
    [InlineData("CREATE INDEX c_bax ON c (b, a, x);", false)] // more columns after them
    [InlineData("CREATE INDEX c_xab ON c (x, a, b);", true)] // not leading
    [InlineData("CREATE INDEX c_a ON c (a);", true)] // one of the two
    [InlineData("CREATE INDEX c_ab_lower ON c (a, (b + 1));", true)] // an expression in place of a column
    [InlineData("CREATE INDEX c_ab_partial ON c (a, b) WHERE x > 0;", true)] // partial: not every row
    [InlineData("CREATE INDEX c_aa ON c (a, a);", true)] // a column twice is not the key
    public void Fires_unless_an_index_leads_with_the_key_columns(string index, bool fires)
    {
        var desired = Parent + "CREATE TABLE c (id int PRIMARY KEY, a int, b int, x int, CONSTRAINT c_fk FOREIGN KEY (a, b) REFERENCES p (a, b));\n" + index;
        var diagnostics = RuleCatalogTests.DiagnosticsOf("p", string.Empty, desired);
        Assert.Equal(fires, diagnostics.Any(d => d.Id == "SB6002" && d.Object == "public.c.c_fk"));
    }

    [Fact]
    public void A_primary_key_that_leads_with_the_key_columns_covers_it()
    {
        var desired = Parent + "CREATE TABLE c (b int, a int, n int, PRIMARY KEY (b, a, n), CONSTRAINT c_fk FOREIGN KEY (a, b) REFERENCES p (a, b));";
        Assert.DoesNotContain(RuleCatalogTests.DiagnosticsOf("p", string.Empty, desired), d => d.Id == "SB6002");
    }
}
