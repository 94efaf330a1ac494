using System;

using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Cli.Tests;

/// <summary>
/// The throwaway servers of eng/db.sh (SCHEMABUILD_TEST_MARIADB / SCHEMABUILD_TEST_POSTGRES), and
/// variants of their URLs with one part changed. A test that needs a server fails, never skips,
/// when the variable is unset.
/// </summary>
internal static class TestServers
{
    public static string Url(string engine)
    {
        return engine == "postgres" ? TestServerUrl.Postgres : TestServerUrl.MariaDb;
    }

    /// <summary>The server's password (as written in the URL), to check that no output contains it.</summary>
    public static string Password(string engine)
    {
        var userInfo = new Uri(Url(engine)).UserInfo;
        return Uri.UnescapeDataString(userInfo.Substring(userInfo.IndexOf(':', StringComparison.Ordinal) + 1));
    }

    /// <summary>The server's URL with the parts given replaced (password, port, database, query).</summary>
    public static string Variant(string engine, string? password = null, int? port = null, string? database = null, string? query = null)
    {
        var uri = new Uri(Url(engine));
        var userInfo = uri.UserInfo;
        var user = userInfo.Substring(0, userInfo.IndexOf(':', StringComparison.Ordinal));
        var secret = password is null ? userInfo.Substring(user.Length + 1) : Uri.EscapeDataString(password);
        var name = database ?? uri.AbsolutePath.TrimStart('/');
        var rest = query ?? uri.Query.TrimStart('?');
        return $"{uri.Scheme}://{user}:{secret}@{uri.Host}:{port ?? uri.Port}/{name}" + (rest.Length > 0 ? "?" + rest : string.Empty);
    }
}
