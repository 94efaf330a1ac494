using System;

namespace SchemaBuild.Runtime.State;

/// <summary>
/// A control-table row was not in a status it may move from (another process moved it, or it was
/// edited by hand), or the control tables were written by a newer SchemaBuild.
/// </summary>
public sealed class ControlTableConflictException : Exception
{
    public ControlTableConflictException(string message)
        : base(message)
    {
    }
}
