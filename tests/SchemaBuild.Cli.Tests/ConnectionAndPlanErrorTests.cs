using System;
using System.Linq;
using System.IO;
using Xunit;

namespace SchemaBuild.Cli.Tests;

/// <summary>
/// What a user sees when the target or the plan file is wrong, against the real servers: one
/// line that says what happened, where and what to do, the exit code of INTERFACES.md (2 usage,
/// 4 deployment failed), no stack trace and never the password.
/// </summary>
public sealed class ConnectionAndPlanErrorTests
{
    public static TheoryData<string> Engines() => new() { "mariadb", "postgres" };

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_unreachable_server_exits_4_naming_the_host_and_port(string engine)
    {
        var result = Status(engine, TestServers.Variant(engine, port: 1));
        AssertOneLine(engine, result, 4, "cannot reach the server at 127.0.0.1:1");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_wrong_password_exits_4_and_says_to_check_the_credentials_without_printing_either_password(string engine)
    {
        var result = Status(engine, TestServers.Variant(engine, password: "not-the-password-4711"));
        AssertOneLine(engine, result, 4, "refused the credentials");
        Assert.DoesNotContain("not-the-password-4711", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_unknown_database_exits_4_and_names_it(string engine)
    {
        var result = Status(engine, TestServers.Variant(engine, database: "no_such_database_sb"));
        AssertOneLine(engine, result, 4, "database 'no_such_database_sb' does not exist");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_failed_TLS_handshake_exits_4_with_the_reason(string engine)
    {
        // The test servers' certificate comes from a private CA that is not trusted here.
        var result = Status(engine, TestServers.Variant(engine, query: "sslmode=verify-full"));
        AssertOneLine(engine, result, 4, "TLS handshake");
        Assert.Contains("certificate", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mariadb", "sslmode=verify-ca&sslca=/no/such/ca.pem", 4, "Cannot read the TLS CA file '/no/such/ca.pem'")]
    [InlineData("postgres", "sslmode=bogus", 2, "sslmode 'bogus'")]
    [InlineData("mariadb", "sslmode=bogus", 2, "sslmode 'bogus'")]
    public void Bad_TLS_settings_in_the_url_are_reported_in_one_line(string engine, string query, int exitCode, string message)
    {
        var result = Status(engine, TestServers.Variant(engine, query: query));
        AssertOneLine(engine, result, exitCode, message);
    }

    [Theory]
    [InlineData("mariadb", "{0}://u:{1}@127.0.0.1:port/db", "port")]
    [InlineData("postgres", "{0}://u:{1}@127.0.0.1:port/db", "port")]
    [InlineData("mariadb", "{0}://u:{1}%zz@127.0.0.1/db", "percent-encoding")]
    [InlineData("postgres", "{0}://u:{1}%zz@127.0.0.1/db", "percent-encoding")]
    [InlineData("mariadb", "{0}://u:{1}@127.0.0.1:3306", "names no database")]
    [InlineData("postgres", "{0}://u:{1}@127.0.0.1:5432/", "names no database")]
    public void A_malformed_url_is_a_usage_error_that_never_echoes_the_password(string engine, string pattern, string message)
    {
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, engine, TestServers.Password(engine));
        var result = Status(engine, url);
        AssertOneLine(engine, result, 2, message);
        Assert.StartsWith("error: --connection:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_malformed_plan_file_is_a_usage_error_reported_before_connecting(string engine)
    {
        using var project = new TempProject().Write("plan.json", "{ \"formatVersion\": 1, ");
        // The server is unreachable: the plan is read first, so its error is the one reported.
        var result = Deploy(engine, project.Root, "plan.json", TestServers.Variant(engine, port: 1));
        AssertOneLine(engine, result, 2, "--plan ");
        Assert.Contains("plan.json", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_unreadable_plan_file_is_a_usage_error(string engine)
    {
        // Reading /proc/self/mem from its start fails (EIO) for every user, root included, unlike a chmod 000 file.
        var result = Deploy(engine, Path.GetTempPath(), "/proc/self/mem", TestServers.Url(engine));
        AssertOneLine(engine, result, 2, "--plan: cannot read '/proc/self/mem'");
    }

    [Theory]
    [InlineData("mariadb", "postgres")]
    [InlineData("postgres", "mariadb")]
    public void A_plan_of_another_dialect_is_a_usage_error_that_says_which_dialect_to_compile_for(string engine, string planDialect)
    {
        using var project = new TempProject().Write("Schema/t.sql", "CREATE TABLE sb_cli_dialect_probe (id BIGINT NOT NULL PRIMARY KEY);\n");
        var plan = SchemaTool.Run(project.Root, "plan", "--schema", "Schema", "--dialect", planDialect, "--format", "json", "--out", "plan.json");
        Assert.True(plan.ExitCode == 0, plan.Error);

        var result = Deploy(engine, project.Root, "plan.json", TestServers.Url(engine));
        AssertOneLine(engine, result, 2, $"the plan is for {planDialect} but");
        Assert.Contains($"compile the plan with --dialect {engine}", result.Error, StringComparison.Ordinal);
    }

    private static SchemaTool.Result Status(string engine, string url) => SchemaTool.Run(Path.GetTempPath(), "status", "--connection", url);

    private static SchemaTool.Result Deploy(string engine, string folder, string planFile, string url) =>
        SchemaTool.Run(folder, "deploy", "--plan", planFile, "--connection", url, "--dry-run");

    private static void AssertOneLine(string engine, SchemaTool.Result result, int exitCode, string message)
    {
        var shown = $"exit {result.ExitCode}\n--- stdout ---\n{result.Output}\n--- stderr ---\n{result.Error}";
        Assert.True(result.ExitCode == exitCode, shown);

        // These tests pass the password in --connection on purpose; the tool's one warning about that is not the error.
        var error = string.Join('\n', result.Error.Split('\n').Where(l => !l.StartsWith("warning: --connection carries a password", StringComparison.Ordinal)));
        Assert.True(error.StartsWith("error: ", StringComparison.Ordinal), shown);
        Assert.True(error.TrimEnd().IndexOf('\n') < 0, "expected one line:\n" + shown);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServers.Password(engine), result.Output + result.Error, StringComparison.Ordinal);
    }
}
