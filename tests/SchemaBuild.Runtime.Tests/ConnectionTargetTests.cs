using System;
using System.Collections.Generic;
using System.IO;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Connections;
using Xunit;

namespace SchemaBuild.Runtime.Tests;

/// <summary>URLs and connection strings: passwords with URL delimiters, structural redaction, unknown options, and the engines' password conventions.</summary>
public sealed class ConnectionTargetTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Theory]
    [InlineData("mysql", "secret?tail")]
    [InlineData("mariadb", "p@ss/w:rd#1")]
    [InlineData("postgres", "we?ird@pa/ss#word")]
    [InlineData("mysql", "e")]
    public void A_password_with_URL_delimiters_parses_and_never_reaches_a_message(string scheme, string password)
    {
        var url = ConnectionUrl.Parse($"{scheme}://app:{password}@db.example:4000/shop?sslmode=require", NoEnvironment);
        Assert.Equal(password, url.Password);
        Assert.Equal("db.example", url.Host);
        Assert.Equal(4000, url.Port);
        Assert.Equal("shop", url.Database);
        Assert.Equal(PasswordSource.Text, url.PasswordSource);
        Assert.Equal($"{scheme}://app:***@db.example:4000/shop", url.ToString());

        var badPort = Assert.Throws<FormatException>(() => ConnectionUrl.Parse($"{scheme}://app:{password}@db.example:40x0/shop", NoEnvironment));
        Assert.DoesNotContain("app:", badPort.Message, StringComparison.Ordinal);
        if (password.Length > 1)
        {
            Assert.DoesNotContain(password, badPort.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_reported_case_no_longer_reads_the_password_as_a_port()
    {
        var url = ConnectionUrl.Parse("mysql://u:secret?tail@h/db", NoEnvironment);
        Assert.Equal("secret?tail", url.Password);
        Assert.Equal("h", url.Host);
        Assert.Equal(3306, url.Port);
    }

    [Fact]
    public void Redaction_replaces_the_password_in_the_URL_structure_not_every_substring()
    {
        var text = "mysql://app:e@db:3306/shop";
        var url = ConnectionUrl.Parse(text, NoEnvironment);
        const string message = "Error 1045: Access denied for user 'app'@'db' (using password: YES)";
        Assert.Equal(message, url.Redact(message));
        Assert.Equal("cannot open mysql://app:***@db:3306/shop now", url.Redact($"cannot open {text} now"));
        Assert.Equal("dsn app:***@db", url.Redact("dsn app:e@db"));
        Assert.Equal("Server=db;Password=***;", url.Redact("Server=db;Password=e;"));
    }

    [Theory]
    [InlineData("postgres://u@h/db?sslmdoe=require", "sslmdoe")]
    [InlineData("mysql://u@h/db?ssl_mod=required", "ssl-mod")]
    [InlineData("mariadb://u@h/db?sslrootcert=/ca.pem&pool=1", "pool")]
    public void Unknown_URL_options_are_errors_that_name_the_option(string text, string option)
    {
        var error = Assert.Throws<FormatException>(() => ConnectionUrl.Parse(text, NoEnvironment));
        Assert.Contains($"'{option}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sslmode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=pg.example;Port=6000;Database=shop;Username=app;Password=pw", DialectKind.Postgres, "pg.example", 6000)]
    [InlineData("Server=my.example;Port=3307;Database=shop;User ID=app;Password=pw", DialectKind.MySql, "my.example", 3307)]
    [InlineData("Server=pg.example;Port=5432;Database=shop;Username=app;Password=pw;Include Error Detail=true", DialectKind.Postgres, "pg.example", 5432)]
    [InlineData("Server=my.example;Database=shop;Uid=app;Pwd=pw;AllowUserVariables=true", DialectKind.MySql, "my.example", 3306)]
    public void ADO_NET_connection_strings_name_their_engine(string text, DialectKind dialect, string host, int port)
    {
        var url = ConnectionUrl.Parse(text, NoEnvironment);
        Assert.Equal(dialect, url.Dialect);
        Assert.Equal(host, url.Host);
        Assert.Equal(port, url.Port);
        Assert.Equal("shop", url.Database);
        Assert.Equal("pw", url.Password);
        Assert.DoesNotContain("pw", url.ToString().Replace("//", string.Empty, StringComparison.Ordinal).Replace("app", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(":***@", url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_with_an_unknown_keyword_names_the_keyword_and_not_the_values()
    {
        var error = Assert.Throws<FormatException>(() => ConnectionUrl.Parse("Host=h;Database=d;Passwrd=hunter2", NoEnvironment));
        Assert.Contains("'Passwrd'", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSQL_takes_PGPASSWORD_and_PGSSLROOTCERT_when_the_URL_has_none()
    {
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = "from-env", ["PGSSLROOTCERT"] = "/etc/ca.pem" };
        var url = ConnectionUrl.Parse("postgres://app@h/db", n => environment.GetValueOrDefault(n));
        Assert.Equal("from-env", url.Password);
        Assert.Equal(PasswordSource.Environment, url.PasswordSource);
        Assert.Equal("/etc/ca.pem", url.CertificateAuthorityFile);
        Assert.Equal("/other.pem", ConnectionUrl.Parse("postgres://app@h/db?sslrootcert=/other.pem", n => environment.GetValueOrDefault(n)).CertificateAuthorityFile);
        Assert.Equal("in-url", ConnectionUrl.Parse("postgres://app:in-url@h/db", n => environment.GetValueOrDefault(n)).Password);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void PostgreSQL_reads_a_private_password_file_and_ignores_one_others_can_read()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# comment\nother:5432:*:app:wrong\nh:5432:db:app:pa\\:ss\n*:*:*:*:fallback\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var environment = new Dictionary<string, string> { ["PGPASSFILE"] = file };
            var url = ConnectionUrl.Parse("postgres://app@h/db", n => environment.GetValueOrDefault(n));
            Assert.Equal("pa:ss", url.Password);
            Assert.Equal(PasswordSource.PasswordFile, url.PasswordSource);
            Assert.Equal("fallback", ConnectionUrl.Parse("postgres://app@elsewhere/db", n => environment.GetValueOrDefault(n)).Password);

            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.Equal(PasswordSource.None, ConnectionUrl.Parse("postgres://app@h/db", n => environment.GetValueOrDefault(n)).PasswordSource);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void MySQL_takes_MYSQL_PWD_then_the_client_group_of_the_defaults_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "[mysqld]\npassword=server-side\n[client]\nuser = filed\npassword = \"from file\"\nssl-ca=/etc/my-ca.pem\n");
            var fromFile = ConnectionUrl.Parse($"mariadb://h/db?defaults-file={Uri.EscapeDataString(file)}", NoEnvironment);
            Assert.Equal("filed", fromFile.User);
            Assert.Equal("from file", fromFile.Password);
            Assert.Equal(PasswordSource.OptionFile, fromFile.PasswordSource);
            Assert.Equal("/etc/my-ca.pem", fromFile.CertificateAuthorityFile);

            var environment = new Dictionary<string, string> { ["MYSQL_PWD"] = "from-env" };
            var fromEnvironment = ConnectionUrl.Parse($"mysql://app@h/db?defaults-file={Uri.EscapeDataString(file)}", n => environment.GetValueOrDefault(n));
            Assert.Equal("from-env", fromEnvironment.Password);
            Assert.Equal(PasswordSource.Environment, fromEnvironment.PasswordSource);
            Assert.Equal("app", fromEnvironment.User);
        }
        finally
        {
            File.Delete(file);
        }

        var missing = Assert.Throws<FormatException>(() => ConnectionUrl.Parse("mysql://app@h/db?defaults-file=/no/such/file.cnf", NoEnvironment));
        Assert.Contains("defaults-file", missing.Message, StringComparison.Ordinal);
    }
}
