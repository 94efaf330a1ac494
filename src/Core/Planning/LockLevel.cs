namespace SchemaBuild.Core.Planning;

/// <summary>The strongest lock a step holds on its table, and for how long, in engine-neutral terms.</summary>
public enum LockLevel
{
    /// <summary>No table lock beyond a brief metadata lock.</summary>
    None,

    /// <summary>A brief exclusive metadata lock at start and end; reads and writes continue in between.</summary>
    Brief,

    /// <summary>Writes blocked for the duration (PostgreSQL SHARE lock while building a plain index).</summary>
    WritesBlocked,

    /// <summary>Reads and writes blocked for the duration (ACCESS EXCLUSIVE for a rewrite).</summary>
    Exclusive,
}
