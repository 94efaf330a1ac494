using System;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using Xunit;

namespace SchemaBuild.Runtime.Tests.GhostCopy.Revert;

/// <summary>The revert window's command line: refusals say why and exit 2; a bad --revert-window is a usage error.</summary>
public sealed class RevertCommandLineTests
{
    [Fact]
    public async Task Revert_of_a_deployment_without_a_window_is_refused_with_what_to_do()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.MariaDb, "revert_cli");
        var result = SchemaTool.Run("revert", "--deployment", "20260101-000000-abcdef", "--connection", database.UrlText);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no ghost-copy control table", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestDatabase.Password(DialectKind.MariaDb), result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_revert_window_that_is_not_a_duration_is_a_usage_error()
    {
        var result = SchemaTool.Run("deploy", "--schema", "Schema", "--dialect", "mariadb", "--connection", "mariadb://u:p@127.0.0.1:9/db", "--revert-window", "soon");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--revert-window: 'soon' is not a duration", result.ToString(), StringComparison.Ordinal);
    }
}
