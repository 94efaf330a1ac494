using System.Collections.Generic;
using NpgsqlTypes;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>What one decoded pgoutput message means for the shadow.</summary>
internal enum PgChangeKind
{
    Insert,
    Update,
    Delete,
    Truncate,

    /// <summary>The start of a source transaction: <see cref="PgChange.Xid"/> names it.</summary>
    Begin,

    /// <summary>The end of a source transaction: everything before it may be confirmed once applied.</summary>
    Commit,
}

/// <summary>
/// One column value as pgoutput sends it in text form: a text, SQL NULL, or an unchanged TOASTed
/// value (an UPDATE that did not touch a large value does not resend it).
/// </summary>
internal readonly record struct PgValue(string? Text, bool Unchanged)
{
    public static readonly PgValue Null = new(null, false);

    public static readonly PgValue UnchangedToast = new(null, true);
}

/// <summary>
/// A row change of a published table, in commit order. <see cref="Row"/> holds the new row
/// (insert, update) or the replica-identity key (delete); <see cref="OldKey"/> the old key of an
/// update that changed it. <see cref="Lsn"/> is the end of the transaction for a commit;
/// <see cref="Xid"/> the (32-bit) transaction id for a begin.
/// </summary>
internal sealed record PgChange(PgChangeKind Kind, QualifiedName? Table, IReadOnlyDictionary<string, PgValue>? Row, IReadOnlyDictionary<string, PgValue>? OldKey, NpgsqlLogSequenceNumber Lsn, uint Xid = 0)
{
    public static PgChange CommitAt(NpgsqlLogSequenceNumber lsn) => new(PgChangeKind.Commit, null, null, null, lsn);

    public static PgChange BeginOf(uint xid, NpgsqlLogSequenceNumber lsn) => new(PgChangeKind.Begin, null, null, null, lsn, xid);
}
