using System;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.MySqlClient.Protocol;

/// <summary>
/// Timeout and cancellation for one command. When triggered it asks the server
/// to stop the statement with KILL QUERY on a side connection, so the protocol
/// stays in sync and the connection stays usable. If the server does not answer
/// within a grace period the socket read itself is aborted and the connection
/// is discarded.
/// </summary>
internal sealed class CommandGuard : IAsyncDisposable
{
    private static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(5);
    private readonly ServerSession _session;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _abort = new();
    private readonly object _gate = new();
    private Task? _kill;
    private CancellationToken _canceledToken;

    public CommandGuard(ServerSession session, TimeSpan timeout)
    {
        _session = session;
        _timeout = timeout;
    }

    /// <summary>Token for socket reads: fires only when the kill did not work.</summary>
    public CancellationToken IoToken => _abort.Token;

    public bool Triggered { get; private set; }
    public bool TimedOut { get; private set; }

    /// <summary>Starts watching one public call (a query, a row read, a next-result).</summary>
    /// <remarks>An already-canceled token stops the running statement too (the registration fires at once).</remarks>
    public CallScope Enter(CancellationToken cancellationToken) => new(this, cancellationToken);

    private void Trigger(bool timeout, CancellationToken token)
    {
        lock (_gate)
        {
            if (Triggered) return;
            Triggered = true;
            TimedOut = timeout;
            _canceledToken = token;
            _kill = _session.KillCurrentQueryAsync();
            _abort.CancelAfter(AbortGrace);
        }
    }

    /// <summary>The exception to surface once the command has been stopped.</summary>
    public Exception CreateStoppedException(Exception? inner = null) =>
        TimedOut
            ? new TimeoutException($"The command did not finish within the command timeout of {_timeout.TotalSeconds:0.###} s.", inner)
            : new OperationCanceledException("The command was canceled.", inner, _canceledToken);

    public async ValueTask DisposeAsync()
    {
        Task? kill;
        lock (_gate) kill = _kill;
        if (kill is not null)
        {
            // Wait for the KILL to land so it cannot hit the connection's next statement.
            try
            {
                await kill.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Best effort: the statement already ended one way or another.
            }
        }
        _abort.Dispose();
    }

    internal readonly struct CallScope : IDisposable
    {
        private readonly CancellationTokenSource? _timer;
        private readonly CancellationTokenRegistration _user;
        private readonly CancellationTokenRegistration _timeout;

        public CallScope(CommandGuard guard, CancellationToken cancellationToken)
        {
            _timer = null;
            _timeout = default;
            if (guard._timeout > TimeSpan.Zero)
            {
                _timer = new CancellationTokenSource(guard._timeout);
                _timeout = _timer.Token.UnsafeRegister(static g => ((CommandGuard)g!).Trigger(true, default), guard);
            }
            _user = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static (g, t) => ((CommandGuard)g!).Trigger(false, t), guard)
                : default;
        }

        public void Dispose()
        {
            _user.Dispose();
            _timeout.Dispose();
            _timer?.Dispose();
        }
    }
}
