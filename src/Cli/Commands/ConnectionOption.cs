using System;
using System.CommandLine;
using System.Threading;
using SchemaBuild.Runtime.Connections;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>--connection URL</c>, or <c>SCHEMABUILD_CONNECTION</c> when the option is absent.</summary>
public sealed class ConnectionOption
{
    public const string EnvironmentVariable = "SCHEMABUILD_CONNECTION";

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "Target database: a URL (mysql://user@host:3306/db, mariadb://..., postgres://user@host:5432/db) or an ADO.NET connection string (Host=h;Database=d;Username=u). Default: $SCHEMABUILD_CONNECTION. "
            + "Keep the password off the command line: PGPASSWORD, PGPASSFILE or ~/.pgpass; MYSQL_PWD or ?defaults-file=/path/my.cnf. The password is never printed, logged or stored.",
    };

    private static int warned;

    /// <summary>The connection as given (option or environment), for a process started with it in its environment (<c>deploy --detach</c>).</summary>
    public string? Text(ParseResult parseResult) => parseResult.GetValue(Connection) ?? Environment.GetEnvironmentVariable(EnvironmentVariable);

    public ConnectionUrl Read(ParseResult parseResult)
    {
        var fromOption = parseResult.GetValue(Connection);
        var text = Text(parseResult);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"--connection: no target database; pass --connection URL or set {EnvironmentVariable}");
        }

        try
        {
            var url = ConnectionUrl.Parse(text);
            url.RequireDatabase();
            if (fromOption is not null && url.PasswordSource == PasswordSource.Text && Interlocked.Exchange(ref warned, 1) == 0)
            {
                Console.Error.WriteLine(
                    "warning: --connection carries a password, which other local users can read from the process list; "
                    + (url.Dialect == Core.Model.DialectKind.Postgres
                        ? "set PGPASSWORD, or put it in PGPASSFILE or ~/.pgpass (mode 0600), "
                        : "set MYSQL_PWD, or put it under [client] in an option file named by ?defaults-file=/path/my.cnf, ")
                    + $"or pass the whole connection in {EnvironmentVariable}");
            }

            return url;
        }
        catch (FormatException ex)
        {
            throw new UsageException("--connection: " + ex.Message);
        }
    }
}
