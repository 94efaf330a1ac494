using System;

namespace SchemaBuild.Tests.Shared;

/// <summary>
/// The connection URLs of the throwaway servers eng/db.sh starts (SCHEMABUILD_TEST_MARIADB,
/// SCHEMABUILD_TEST_POSTGRES). A test that needs a server fails, never skips, when one is unset.
/// </summary>
public static class TestServerUrl
{
    public const string MariaDbVariable = "SCHEMABUILD_TEST_MARIADB";

    public const string PostgresVariable = "SCHEMABUILD_TEST_POSTGRES";

    public static string MariaDb => Require(MariaDbVariable);

    public static string Postgres => Require(PostgresVariable);

    public static string Require(string variable)
    {
        var url = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException(
                $"{variable} is not set: this test needs a real server. Run the tests through eng/test.sh, or run 'eng/db.sh start' and 'eval \"$(eng/db.sh env)\"' first.");
        }

        return url!;
    }
}
