using System;

namespace SchemaBuild.Runtime.Engines.Postgres.Ghost;

/// <summary>A ghost copy that cannot run exactly on this table as it is; the message names the table and what to do. Nothing is left behind.</summary>
internal sealed class GhostCopyRefusedException : Exception
{
    public GhostCopyRefusedException(string message)
        : base(message)
    {
    }
}
