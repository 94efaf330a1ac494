using System;

namespace SchemaBuild.MySqlReplication;

/// <summary>An ERR packet from the server: error number, SQLSTATE and message.</summary>
public sealed class MySqlServerException : Exception
{
    public MySqlServerException(int errorCode, string sqlState, string message)
        : base($"MySQL error {errorCode} ({sqlState}): {message}")
    {
        ErrorCode = errorCode;
        SqlState = sqlState;
        ServerMessage = message;
    }

    public int ErrorCode { get; }
    public string SqlState { get; }
    public string ServerMessage { get; }
}
