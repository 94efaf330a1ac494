using System;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

public sealed class ConnectionOptionsTests
{
    [Fact]
    public void Parses_every_part_of_a_url()
    {
        var o = MySqlConnectionOptions.Parse("mysql://app:p%40ss%3Aw0rd@db.example.com:3307/shop?sslmode=verify-full&sslca=/etc/ca.pem&connect_timeout=7&command_timeout=9&server_id=77");
        Assert.Equal("mysql", o.Scheme);
        Assert.Equal("app", o.User);
        Assert.Equal("p@ss:w0rd", o.Password);
        Assert.Equal("db.example.com", o.Host);
        Assert.Equal(3307, o.Port);
        Assert.Equal("shop", o.Database);
        Assert.Equal(MySqlSslMode.VerifyFull, o.SslMode);
        Assert.Equal("/etc/ca.pem", o.SslCa);
        Assert.Equal(TimeSpan.FromSeconds(7), o.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(9), o.CommandTimeout);
        Assert.Equal(77u, o.ServerId);
    }

    [Fact]
    public void Defaults_apply_when_parts_are_missing()
    {
        var o = MySqlConnectionOptions.Parse("mariadb://localhost");
        Assert.Equal("mariadb", o.Scheme);
        Assert.Equal(3306, o.Port);
        Assert.Equal("", o.User);
        Assert.Equal("", o.Password);
        Assert.Null(o.Database);
        Assert.Equal(MySqlSslMode.Preferred, o.SslMode);
    }

    [Fact]
    public void Unescaped_at_sign_in_password_is_kept()
    {
        var o = MySqlConnectionOptions.Parse("mysql://u:a@b@host/db");
        Assert.Equal("a@b", o.Password);
        Assert.Equal("host", o.Host);
    }

    [Fact]
    public void Ipv6_host_with_port()
    {
        var o = MySqlConnectionOptions.Parse("mysql://u@[::1]:3310/db");
        Assert.Equal("::1", o.Host);
        Assert.Equal(3310, o.Port);
    }

    [Theory]
    [InlineData("disabled", MySqlSslMode.Disabled)]
    [InlineData("preferred", MySqlSslMode.Preferred)]
    [InlineData("REQUIRED", MySqlSslMode.Required)]
    [InlineData("verify_ca", MySqlSslMode.VerifyCa)]
    [InlineData("verify-identity", MySqlSslMode.VerifyFull)]
    public void Ssl_modes_parse(string text, MySqlSslMode expected) =>
        Assert.Equal(expected, MySqlConnectionOptions.Parse("mysql://h/?sslmode=" + text).SslMode);

    [Fact]
    public void ToString_redacts_the_password()
    {
        var o = MySqlConnectionOptions.Parse("mysql://app:TopSecret123@h:3306/db?sslmode=required");
        string text = o.ToString();
        Assert.DoesNotContain("TopSecret123", text);
        Assert.Contains("app:***@h:3306/db", text);
        Assert.Contains("sslmode=required", text);
    }

    [Theory]
    [InlineData("postgres://u:TopSecret123@h/db")]
    [InlineData("mysql://u:TopSecret123@h:notaport/db")]
    [InlineData("mysql://u:TopSecret123@h/db?bogus=1")]
    [InlineData("mysql://u:TopSecret123%zz@h/db")]
    [InlineData("mysql://u:TopSecret123@h/db?sslmode=sometimes")]
    [InlineData("u:TopSecret123@h/db")]
    public void Invalid_urls_fail_without_revealing_the_password(string url)
    {
        var e = Assert.Throws<FormatException>(() => MySqlConnectionOptions.Parse(url));
        Assert.DoesNotContain("TopSecret123", e.ToString());
    }
}
