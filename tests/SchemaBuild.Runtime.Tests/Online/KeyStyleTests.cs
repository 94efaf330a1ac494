using System.Collections.Generic;
using SchemaBuild.Runtime.Online;
using Xunit;

namespace SchemaBuild.Runtime.Tests.Online;

/// <summary>One keyset predicate writer for both engines: MariaDB's OR-ed prefixes with <c>?</c>, PostgreSQL's row comparison with cast <c>$n</c>.</summary>
public sealed class KeyStyleTests
{
    private static readonly string[] Columns = { "a", "b" };

    [Fact]
    public void Or_ed_prefixes_bind_every_value_in_text_order()
    {
        var style = new KeyStyle(_ => "?", (_, p) => p, RowComparison: false);
        var parameters = new List<object?>();
        Assert.Equal("((a > ?) OR (a = ? AND b > ?))", style.Compare(Columns, new object?[] { 1, 2 }, ">", parameters));
        Assert.Equal(new object?[] { 1, 1, 2 }, parameters);

        parameters.Clear();
        Assert.Equal("((a < ?) OR (a = ? AND b < ?) OR (a = ? AND b = ?))", style.Compare(Columns, new object?[] { 3, 4 }, "<=", parameters));
        Assert.Equal(new object?[] { 3, 3, 4, 3, 4 }, parameters);
    }

    [Fact]
    public void Row_comparison_numbers_placeholders_after_the_parameters_already_there()
    {
        var style = new KeyStyle(n => "$" + n, (i, p) => "CAST(" + p + " AS t" + i + ")", RowComparison: true);
        var parameters = new List<object?> { "x" };
        Assert.Equal("(a, b) <= (CAST($2 AS t0), CAST($3 AS t1))", style.Compare(Columns, new object?[] { "5", "6" }, "<=", parameters));
        Assert.Equal(new object?[] { "x", "5", "6" }, parameters);
    }
}
