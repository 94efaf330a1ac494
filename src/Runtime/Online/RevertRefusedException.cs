using System;

namespace SchemaBuild.Runtime.Online;

/// <summary>A revert that cannot start (no open window, window ended): the message says why and what to do. Nothing was changed.</summary>
public sealed class RevertRefusedException : Exception
{
    public RevertRefusedException(string message)
        : base(message)
    {
    }
}
