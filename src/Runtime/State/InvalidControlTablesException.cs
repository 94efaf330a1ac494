using System;

namespace SchemaBuild.Runtime.State;

/// <summary>The control-table names cannot be used (too long, the same, or a user table has the name): a usage error, nothing was written.</summary>
public sealed class InvalidControlTablesException : Exception
{
    public InvalidControlTablesException(string message)
        : base(message)
    {
    }
}
