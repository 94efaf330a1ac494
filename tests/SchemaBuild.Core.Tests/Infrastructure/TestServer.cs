using System;

using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Core.Tests.Infrastructure;

/// <summary>
/// A throwaway server started by eng/db.sh, read from SCHEMABUILD_TEST_MARIADB / SCHEMABUILD_TEST_POSTGRES.
/// A test that needs a server fails, never skips, when the variable is missing.
/// </summary>
public sealed record TestServer(string Scheme, string Host, int Port, string User, string Password, string Database)
{
    public static TestServer MariaDb => FromEnvironment("SCHEMABUILD_TEST_MARIADB");

    public static TestServer Postgres => FromEnvironment("SCHEMABUILD_TEST_POSTGRES");

    private static TestServer FromEnvironment(string variable)
    {
        var url = TestServerUrl.Require(variable);
        var uri = new Uri(url);
        var userInfo = uri.UserInfo.Split(':', 2);
        return new TestServer(
            uri.Scheme,
            uri.Host,
            uri.Port,
            Uri.UnescapeDataString(userInfo[0]),
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : string.Empty,
            uri.AbsolutePath.Trim('/'));
    }
}
