using Microsoft.Extensions.Logging;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>
/// What the sessions log. Sessions are named by their display name (password replaced by ***);
/// statements carry no secrets, and parameter values are not logged, only their count.
/// </summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "session opened on {Session}: {Dialect} {ServerVersion}")]
    public static partial void Opened(ILogger logger, string session, string dialect, string serverVersion);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "{Database}: {Statement} [{Parameters} parameter(s)]")]
    public static partial void Statement(ILogger logger, string database, string statement, int parameters);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "{Database}: {Rows} x {Statement}")]
    public static partial void Batch(ILogger logger, string database, string statement, int rows);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "{Database}: the deployment lock {Lock} is held by another session")]
    public static partial void LockHeld(ILogger logger, string database, string @lock);
}
