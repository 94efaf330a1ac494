namespace SchemaBuild.Runtime.Connections;

/// <summary>Where a connection's password came from.</summary>
public enum PasswordSource
{
    /// <summary>No password anywhere (trust, peer or certificate authentication).</summary>
    None,

    /// <summary>The URL or connection string itself: visible to <c>ps</c> when passed on a command line.</summary>
    Text,

    /// <summary><c>PGPASSWORD</c> or <c>MYSQL_PWD</c>.</summary>
    Environment,

    /// <summary>A PostgreSQL password file (<c>PGPASSFILE</c>, <c>~/.pgpass</c>).</summary>
    PasswordFile,

    /// <summary>A MySQL/MariaDB option file (<c>defaults-file</c>), group <c>[client]</c>.</summary>
    OptionFile,
}
