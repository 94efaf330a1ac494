using System;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlClient.Protocol;

namespace SchemaBuild.MySqlClient;

/// <summary>
/// A connection to a MySQL or MariaDB server. One command at a time; a reader
/// must be disposed before the next command.
/// </summary>
public sealed class MySqlConnection : IAsyncDisposable
{
    private ServerSession? _session;

    public MySqlConnection(MySqlConnectionOptions options) => Options = options ?? throw new ArgumentNullException(nameof(options));

    public MySqlConnection(string url)
        : this(MySqlConnectionOptions.Parse(url))
    {
    }

    public MySqlConnectionOptions Options { get; }
    public bool IsOpen => _session is { IsBroken: false };
    public string ServerVersion => Session.ServerVersion;
    /// <summary>The server's thread id for this connection (what KILL takes).</summary>
    public uint ConnectionId => Session.ConnectionId;
    public bool IsEncrypted => Session.IsEncrypted;
    public string AuthenticationPlugin => Session.AuthPlugin;

    internal ServerSession Session => _session ?? throw new InvalidOperationException("The connection is not open.");

    /// <summary>Opens a connection and returns it.</summary>
    public static async Task<MySqlConnection> OpenAsync(MySqlConnectionOptions options, CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(options);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_session is not null) throw new InvalidOperationException("The connection is already open.");
        _session = await ServerSession.ConnectAsync(Options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs SQL (one or more statements) and returns the total affected rows; result rows are discarded.</summary>
    public async Task<long> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var reader = await QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        return await reader.ConsumeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs SQL through the text protocol and streams its result sets.</summary>
    public async Task<MySqlDataReader> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sql);
        cancellationToken.ThrowIfCancellationRequested();
        var session = Session;
        session.Acquire();
        var guard = new CommandGuard(session, Options.CommandTimeout);
        try
        {
            // Writes are not canceled half-way: that would desynchronize the protocol. The guard handles cancellation.
            await session.SendCommandAsync(ServerSession.ComQuery, sql, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            session.MarkBroken();
            await guard.DisposeAsync().ConfigureAwait(false);
            session.Release();
            throw;
        }
        return await MySqlDataReader.StartAsync(session, guard, binary: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query and returns the first column of the first row (null when there is no row).</summary>
    public async Task<object?> QueryScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var reader = await QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetValue(0) : null;
    }

    /// <summary>Prepares a statement with <c>?</c> placeholders for the binary protocol.</summary>
    public Task<MySqlPreparedStatement> PrepareAsync(string sql, CancellationToken cancellationToken = default) =>
        MySqlPreparedStatement.PrepareAsync(Session, sql, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        var session = _session;
        _session = null;
        if (session is not null) await session.DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask CloseAsync() => DisposeAsync();

    public override string ToString() => $"MySqlConnection({Options})";
}
