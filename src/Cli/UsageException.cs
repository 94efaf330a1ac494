using System;

namespace SchemaBuild.Cli;

/// <summary>Bad command-line input: printed as one line and exit code 2, never with a stack trace.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
