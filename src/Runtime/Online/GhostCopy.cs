using System;
using System.Diagnostics;
using System.Text.Json;
using SchemaBuild.Runtime.Online.Roles;
using SchemaBuild.Runtime.State;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// One table's ghost copy inside a <see cref="GhostCopyGroup"/>: its control-table row, its roles,
/// the copy watermark and counters. The group drives it through the states; this class keeps what a
/// checkpoint writes consistent (the watermark only moves after its chunk committed).
/// </summary>
internal sealed class GhostCopy
{
    private readonly Stopwatch copying = new();
    private long rowsAtStart;

    public GhostCopy(int stepId, GhostCopyRequest request, GhostCopyRecord record)
    {
        StepId = stepId;
        Request = request;
        Record = record;
        Watermark = record.Watermark is null ? null : RowKey.FromJson(record.Watermark);
    }

    public int StepId { get; }

    public GhostCopyRequest Request { get; }

    public GhostCopyRecord Record { get; private set; }

    public GhostCopyTable? Table { get; set; }

    public IRowCopier? Copier { get; set; }

    public IChangeApplier? Applier { get; set; }

    public IChecksum? Checksum { get; set; }

    public ChunkSizer? Sizer { get; set; }

    /// <summary>The last key copied (committed), null before the first chunk.</summary>
    public RowKey? Watermark { get; private set; }

    public string State => Record.State;

    public bool CopyComplete => Record.CopyComplete;

    /// <summary>Rows per second copied by this process.</summary>
    public double Rate => copying.Elapsed.TotalSeconds < 0.5 ? 0 : (Record.RowsCopied - rowsAtStart) / copying.Elapsed.TotalSeconds;

    public void StartClock()
    {
        rowsAtStart = Record.RowsCopied;
        copying.Restart();
    }

    public void Moved(string state, string? error = null) => Record = Record with { State = state, Error = error };

    public void Copied(CopiedChunk chunk)
    {
        Watermark = chunk.Last;
        Record = Record with { Watermark = chunk.Last.ToJson(), RowsCopied = Record.RowsCopied + chunk.Rows, ChunkRows = Sizer?.Rows ?? Record.ChunkRows };
    }

    public void Completed() => Record = Record with { CopyComplete = true };

    public void Applied(long events) => Record = Record with { EventsApplied = Record.EventsApplied + events };

    public void Update(Func<GhostCopyRecord, GhostCopyRecord> change) => Record = change(Record);

    /// <summary>Back to nothing copied (the stream position was lost): the shadow is rebuilt.</summary>
    public void Restart()
    {
        Watermark = null;
        Record = Record with { Watermark = null, CopyComplete = false, RowsCopied = 0, EventsApplied = 0, StreamPosition = null };
    }

    /// <summary>
    /// True when a change of <paramref name="key"/> can be skipped: the copy has not reached it yet and
    /// will read the row later (only decided for integer keys, where .NET orders like the server).
    /// </summary>
    public bool IsAboveWatermark(RowKey key)
    {
        if (CopyComplete)
        {
            return false;
        }

        if (Watermark is null)
        {
            return key.Values.Count > 0 && RowKey.CompareIntegers(key, key) == 0;
        }

        return RowKey.CompareIntegers(key, Watermark) > 0;
    }

    public GhostCopyProgress Progress(int backlog, TimeSpan lag)
    {
        var rate = Rate;
        var left = Math.Max(0, Record.RowsEstimated - Record.RowsCopied);
        TimeSpan? eta = CopyComplete ? TimeSpan.Zero : rate > 0 ? TimeSpan.FromSeconds(left / rate) : null;
        return new GhostCopyProgress(Request.Table, Record.State, Record.RowsCopied, Record.RowsEstimated, rate, eta, backlog, lag, Record.EventsApplied, Record.ThrottleReason, Record.CutoverAttempts);
    }

    public static string Json(System.Collections.Generic.IEnumerable<string> names) => JsonSerializer.Serialize(names);
}

/// <summary>What the live display and <c>status</c> show for one ghost copy.</summary>
public sealed record GhostCopyProgress(string Table, string State, long RowsCopied, long RowsEstimated, double RowsPerSecond, TimeSpan? Eta, int Backlog, TimeSpan Lag, long EventsApplied, string? ThrottleReason, int CutoverAttempts);

/// <summary>Implemented by a deployment progress display that shows ghost-copy progress (optional).</summary>
public interface IGhostCopyProgress
{
    void GhostCopy(GhostCopyProgress progress);
}
