using System;
using System.Security.Authentication;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Protocol;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

/// <summary>TLS modes against the test server's certificate (self-signed CA from eng/db.sh) and MariaDB's ed25519 plugin.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class TlsAndPluginTests
{
    private readonly MariaDbFixture _db;

    public TlsAndPluginTests(MariaDbFixture db) => _db = db;

    private string Ca => _db.TlsCa ?? throw new InvalidOperationException("SCHEMABUILD_TEST_TLS_CA is not set; run `eval \"$(eng/db.sh env)\"`.");

    private static async Task<string> CipherAsync(ServerSession connection)
    {
        var rows = await connection.QueryTextAsync("SHOW SESSION STATUS LIKE 'Ssl_cipher'", default);
        return Assert.Single(rows)[1]!;
    }

    [Theory]
    [InlineData(MySqlSslMode.Preferred)]
    [InlineData(MySqlSslMode.Required)]
    public async Task Encrypting_modes_use_tls(MySqlSslMode mode)
    {
        await using var connection = await _db.ConnectAsync(_db.Options.WithSslMode(mode));
        Assert.True(connection.IsEncrypted);
        Assert.NotEqual("", await CipherAsync(connection));
    }

    [Fact]
    public async Task Disabled_mode_stays_plain()
    {
        await using var connection = await _db.ConnectAsync(_db.Options.WithSslMode(MySqlSslMode.Disabled));
        Assert.False(connection.IsEncrypted);
        Assert.Equal("", await CipherAsync(connection));
    }

    [Theory]
    [InlineData(MySqlSslMode.VerifyCa, "127.0.0.1")]
    [InlineData(MySqlSslMode.VerifyFull, "localhost")]
    [InlineData(MySqlSslMode.VerifyFull, "127.0.0.1")]
    public async Task Verifying_modes_accept_the_test_ca(MySqlSslMode mode, string host)
    {
        var options = _db.Options.WithSslMode(mode, Ca).WithHost(host, _db.Options.Port);
        await using var connection = await _db.ConnectAsync(options);
        Assert.True(connection.IsEncrypted);
        Assert.NotEqual("", await CipherAsync(connection));
    }

    [Theory]
    [InlineData(MySqlSslMode.VerifyCa)]
    [InlineData(MySqlSslMode.VerifyFull)]
    public async Task Verifying_modes_reject_an_untrusted_certificate(MySqlSslMode mode)
    {
        // Without the test CA, the self-signed chain is not trusted.
        var options = _db.Options.WithSslMode(mode);
        await Assert.ThrowsAsync<AuthenticationException>(() => _db.ConnectAsync(options));
    }

    [Fact]
    public async Task Url_options_select_tls_mode_and_ca()
    {
        var url = Environment.GetEnvironmentVariable("SCHEMABUILD_TEST_MARIADB") + "?sslmode=verify-ca&sslca=" + Uri.EscapeDataString(Ca);
        await using var connection = await ServerSession.ConnectAsync(MySqlConnectionOptions.Parse(url), default);
        Assert.True(connection.IsEncrypted);
    }

    [Fact]
    public async Task Ed25519_user_authenticates_through_auth_switch()
    {
        string user = MariaDbFixture.UniqueName("ed");
        const string password = "Ed-secret-ä1";
        await using var admin = await _db.OpenAsync();
        await admin.ExecuteAsync($"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('{password}')");
        try
        {
            var options = _db.Options.WithCredentials(user, password).WithDatabase(null);
            await using (var connection = await _db.ConnectAsync(options))
            {
                Assert.Equal("client_ed25519", connection.AuthPlugin);
                Assert.StartsWith(user + "@", (string)(await connection.QueryScalarAsync("SELECT CURRENT_USER()"))!);
            }
            var wrong = _db.Options.WithCredentials(user, "not-it").WithDatabase(null);
            var e = await Assert.ThrowsAsync<MySqlServerException>(() => _db.ConnectAsync(wrong));
            Assert.Equal(1045, e.ErrorCode);
        }
        finally
        {
            await admin.ExecuteAsync($"DROP USER '{user}'@'127.0.0.1'");
        }
    }

    [Fact]
    public async Task Ed25519_over_tls()
    {
        string user = MariaDbFixture.UniqueName("edtls");
        await using var admin = await _db.OpenAsync();
        await admin.ExecuteAsync($"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('pw')");
        try
        {
            var options = _db.Options.WithCredentials(user, "pw").WithDatabase(null).WithSslMode(MySqlSslMode.VerifyCa, Ca);
            await using var connection = await _db.ConnectAsync(options);
            Assert.True(connection.IsEncrypted);
            Assert.Equal("client_ed25519", connection.AuthPlugin);
        }
        finally
        {
            await admin.ExecuteAsync($"DROP USER '{user}'@'127.0.0.1'");
        }
    }
}
