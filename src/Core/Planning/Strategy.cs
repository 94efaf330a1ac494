namespace SchemaBuild.Core.Planning;

/// <summary>How a step runs, cheapest first. The JSON names are in <see cref="StrategyNames"/>.</summary>
public enum Strategy
{
    /// <summary>Plain DDL that takes no long lock (new objects, metadata-only changes on PostgreSQL, drops).</summary>
    Direct,

    /// <summary>MySQL-family <c>ALGORITHM=INSTANT</c>: metadata only.</summary>
    Instant,

    /// <summary>MySQL-family <c>ALGORITHM=INPLACE, LOCK=NONE</c>: no copy, concurrent DML allowed.</summary>
    InPlace,

    /// <summary>PostgreSQL <c>CREATE/DROP INDEX CONCURRENTLY</c>, outside a transaction.</summary>
    Concurrent,

    /// <summary>PostgreSQL constraint added <c>NOT VALID</c>, then <c>VALIDATE CONSTRAINT</c>.</summary>
    NotValidValidate,

    /// <summary>Shadow table, chunked copy, change capture, checksum and gated cutover.</summary>
    GhostCopy,
}
