using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Planning.Postgres;

/// <summary>A PostgreSQL table's replica identity (<c>pg_class.relreplident</c>): what pgoutput sends to identify an updated or deleted row.</summary>
public enum PostgresReplicaIdentity
{
    /// <summary>The primary key (none without one). What every table created from schema files has.</summary>
    Default,

    /// <summary>The whole old row.</summary>
    Full,

    /// <summary>The columns of one unique index (<c>REPLICA IDENTITY USING INDEX</c>).</summary>
    Index,

    /// <summary>Nothing.</summary>
    Nothing,
}

/// <summary>
/// The key a PostgreSQL ghost copy walks along and matches captured changes by. A change from the
/// stream can only be matched to a row of the shadow by columns pgoutput sends with it, so the copy
/// key must be covered by the replica identity: the primary key under DEFAULT or FULL, the index's
/// columns under USING INDEX, none under NOTHING. The planner asks with <see cref="PostgresReplicaIdentity.Default"/>
/// (schema files cannot declare another); deploy asks again with the live table's identity.
/// </summary>
public static class PostgresCopyKey
{
    /// <summary>The copy key's columns in key order; empty when the replica identity covers no key.</summary>
    public static IReadOnlyList<string> Of(PostgresReplicaIdentity identity, IReadOnlyList<string> primaryKey, IReadOnlyList<string> identityIndex) => identity switch
    {
        PostgresReplicaIdentity.Default or PostgresReplicaIdentity.Full => primaryKey,
        PostgresReplicaIdentity.Index => identityIndex,
        _ => Array.Empty<string>(),
    };

    /// <summary>The identity as <c>pg_class.relreplident</c> spells it (<c>d</c>, <c>f</c>, <c>i</c>, <c>n</c>).</summary>
    public static PostgresReplicaIdentity Parse(string relreplident) => relreplident switch
    {
        "f" => PostgresReplicaIdentity.Full,
        "i" => PostgresReplicaIdentity.Index,
        "n" => PostgresReplicaIdentity.Nothing,
        _ => PostgresReplicaIdentity.Default,
    };

    /// <summary>
    /// Whether <paramref name="table"/> has a unique key (its primary key, or a unique index without
    /// predicate or expressions) on exactly <paramref name="columns"/>, in any order: the shadow must
    /// keep the copy key unique, or a captured change could match more than one row.
    /// </summary>
    public static bool IsUniqueKeyOf(Table table, IEnumerable<string> columns)
    {
        var wanted = new HashSet<string>(columns, StringComparer.Ordinal);
        bool Same(IReadOnlyList<IndexKeyPart> parts) =>
            parts.Count == wanted.Count && parts.All(p => p.Column is not null && wanted.Contains(p.Column));
        return (table.PrimaryKey is { } primary && Same(primary.Parts))
            || table.Indexes.Any(i => i.Kind == IndexKind.Unique && i.Predicate is null && Same(i.Parts));
    }

}
