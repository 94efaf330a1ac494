using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SchemaBuild.Tests.Shared;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>Schema inputs that cannot be read and outputs that cannot be written: one line, exit 2, no stack trace, no hang.</summary>
public sealed class UnreadableInputTests
{
    private const string Table = "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY);\n";

    [Fact]
    public void A_fifo_named_sql_is_an_error_not_a_hang()
    {
        using var project = new TempProject().Write("Schema/t.sql", Table);
        var fifo = Path.Combine(project.Schema, "pipe.sql");
        var made = CommandLine.Run("mkfifo", new[] { fifo });
        Assert.Equal(0, made.ExitCode);
        AssertOneLineError(Plan(project), "Schema/pipe.sql: is a FIFO (named pipe)");
    }

    [Fact]
    public void A_symlink_to_a_device_named_sql_is_an_error_not_an_endless_read()
    {
        using var project = new TempProject().Write("Schema/t.sql", Table);
        File.CreateSymbolicLink(Path.Combine(project.Schema, "zero.sql"), "/dev/zero");
        AssertOneLineError(Plan(project), "Schema/zero.sql: is a character device");
    }

    [Fact]
    public void A_schema_file_that_cannot_be_read_is_named()
    {
        using var project = new TempProject().Write("Schema/t.sql", Table);
        File.CreateSymbolicLink(Path.Combine(project.Schema, "gone.sql"), Path.Combine(project.Root, "no-such-file"));
        AssertOneLineError(Plan(project), "Schema/gone.sql: cannot be read");
    }

    [Fact]
    public void An_unwritable_out_path_is_a_usage_error()
    {
        using var project = new TempProject().Write("Schema/t.sql", Table).Write("blocker", "a file, not a folder");
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb", "--out", "blocker/plan.txt");
        AssertOneLineError(result, "--output: cannot write");
    }

    private static SchemaTool.Result Plan(TempProject project)
    {
        var watch = Stopwatch.StartNew();
        var result = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", "mariadb");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "plan took " + watch.Elapsed);
        return result;
    }

    private static void AssertOneLineError(SchemaTool.Result result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got:\n" + result.Error);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
