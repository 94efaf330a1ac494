using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.Runtime.Online.Roles;

/// <summary>
/// The engine's change log (binlog, logical replication) read for the ghost-copied tables.
/// Contract:
/// <list type="bullet">
/// <item>every row change of the original tables committed after the start position is delivered,
/// in commit order, at least once (a restart from a checkpointed position may deliver some again);</item>
/// <item>a batch ends on a transaction boundary and carries the position after it: restarting there
/// loses nothing (<see cref="ChangeBatch.Position"/> is what a checkpoint stores);</item>
/// <item>marker rows written by <see cref="WriteMarkerAsync"/> are delivered in the same order, so a
/// marker seen means every change committed before it was delivered.</item>
/// </list>
/// </summary>
internal interface IChangeStream : IAsyncDisposable
{
    /// <summary>The log's current end: taken before the first chunk is read, so no change is missed.</summary>
    Task<string> CurrentPositionAsync(CancellationToken cancellationToken);

    /// <summary>Starts reading in the background from <paramref name="position"/>. Throws <see cref="StreamPositionLostException"/> when the log no longer holds it.</summary>
    Task StartAsync(string position, CancellationToken cancellationToken);

    /// <summary>
    /// The changes delivered so far (up to <paramref name="maxKeys"/> changed keys), waiting up to
    /// <paramref name="wait"/> for the first one. Empty batches still carry the latest position.
    /// Throws the reader's error when it stopped.
    /// </summary>
    Task<ChangeBatch> ReadAsync(int maxKeys, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>Writes a marker row to the changelog of <paramref name="table"/> through the caller's <paramref name="writer"/> (null: the stream's own session); returns its id.</summary>
    Task<long> WriteMarkerAsync(GhostCopyTable table, object? writer, CancellationToken cancellationToken);

    /// <summary>Orders two positions of this stream (negative when <paramref name="a"/> comes first).</summary>
    int ComparePositions(string a, string b);

    /// <summary>How far behind the server's log the reader is (time of the last event read vs now).</summary>
    TimeSpan Lag { get; }

    /// <summary>Changes read from the log and not yet returned by <see cref="ReadAsync"/>.</summary>
    int Backlog { get; }
}

/// <summary>Changed keys per original table (deduplicated), markers seen, and the position after the last complete transaction.</summary>
internal sealed record ChangeBatch(IReadOnlyDictionary<string, IReadOnlyCollection<RowKey>> Keys, IReadOnlyList<Marker> Markers, string? Position, int Events);

/// <summary>
/// A marker row as the stream delivered it: its changelog (<see cref="GhostCopyTable.Changelog"/>) and its id there. Each changelog
/// numbers its own rows, so two tables of one deployment write the same ids: a drain matches both parts.
/// </summary>
internal readonly record struct Marker(string Changelog, long Id);

/// <summary>The change log no longer holds the position to resume from (purged): the copy must restart from the beginning.</summary>
internal sealed class StreamPositionLostException : Exception
{
    public StreamPositionLostException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
