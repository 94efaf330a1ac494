using System;
using System.IO;
using System.Linq;
using SchemaBuild.Cli.Commands;
using SchemaBuild.Core.Model;
using Xunit;

namespace SchemaBuild.Cli.Tests;

public sealed class InspectFileNameTests
{
    [Fact]
    public void Names_that_once_collided_get_distinct_files_that_stay_in_the_folder()
    {
        var names = new[]
        {
            "a/b", "a b", "a_b", "a.b", "a%2Fb", "A_b", "..", ".", "../x", "00_schema", "zz_v", "zz_v.view", "é", "a\\b", "a:b", "",
        };
        var tables = names.Select(n => InspectFileNames.ForTable(QualifiedName.Unqualified(n)))
            .Concat(names.Select(n => InspectFileNames.ForTable(new QualifiedName("s", n))))
            .Concat(new[] { InspectFileNames.ForTable(new QualifiedName("s.x", "y")), InspectFileNames.ForTable(new QualifiedName("s", "x.y")) });
        var views = names.Select(n => InspectFileNames.ForView(QualifiedName.Unqualified(n)));
        var all = tables.Concat(views).Append(InspectFileNames.Shared).ToList();

        // Distinct even on a case-insensitive file system.
        Assert.Equal(all.Count, all.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var folder = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "inspect-out"));
        foreach (var file in all)
        {
            Assert.DoesNotContain('/', file);
            Assert.DoesNotContain('\\', file);
            Assert.NotEqual("..", file);
            Assert.Equal(folder, Path.GetDirectoryName(Path.GetFullPath(Path.Combine(folder, file))));
        }

        Assert.Equal("a_b.sql", InspectFileNames.ForTable(QualifiedName.Unqualified("a_b")));
        Assert.Equal("public.orders.sql", InspectFileNames.ForTable(new QualifiedName("public", "orders")));
    }
}
