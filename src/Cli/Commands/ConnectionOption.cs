using System;
using System.CommandLine;
using SchemaBuild.Runtime.Connections;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>--connection URL</c>, or <c>SCHEMABUILD_CONNECTION</c> when the option is absent.</summary>
public sealed class ConnectionOption
{
    public const string EnvironmentVariable = "SCHEMABUILD_CONNECTION";

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "Target database URL: mysql://user:pass@host:3306/db, mariadb://..., postgres://user:pass@host:5432/db. Default: $SCHEMABUILD_CONNECTION. The password is never printed, logged or stored.",
    };

    public ConnectionUrl Read(ParseResult parseResult)
    {
        var text = parseResult.GetValue(Connection) ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"--connection: no target database; pass --connection URL or set {EnvironmentVariable}");
        }

        try
        {
            var url = ConnectionUrl.Parse(text);
            url.RequireDatabase();
            return url;
        }
        catch (FormatException ex)
        {
            throw new UsageException("--connection: " + ex.Message);
        }
    }
}
