using System;

namespace SchemaBuild.MySqlClient;

/// <summary>An ERR packet from the server: error number, SQLSTATE and message.</summary>
public sealed class MySqlException : Exception
{
    public MySqlException(int errorCode, string sqlState, string message)
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
