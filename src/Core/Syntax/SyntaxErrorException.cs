using System;

namespace SchemaBuild.Core.Syntax;

/// <summary>
/// Thrown inside a statement parser and caught at the statement boundary, where it becomes an
/// SB0001 diagnostic and the parser skips to the next statement. Never escapes a parser.
/// </summary>
public sealed class SyntaxErrorException : Exception
{
    public SyntaxErrorException(Token at, string message)
        : base(message)
    {
        At = at;
    }

    /// <summary>The token where the error was found; its line and column go into the diagnostic.</summary>
    public Token At { get; }
}
