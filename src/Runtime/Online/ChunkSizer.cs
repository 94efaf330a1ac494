using System;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// Sizes chunks from a target chunk time: after each chunk the next size is the rate just measured
/// times the target, smoothed (half old, half new) and bounded, and never more than doubled at once
/// so one fast chunk on a cold cache does not produce a huge next one.
/// </summary>
internal sealed class ChunkSizer
{
    private readonly TimeSpan target;
    private readonly int min;
    private readonly int max;

    public ChunkSizer(TimeSpan target, int initial, int min, int max)
    {
        this.target = target;
        this.min = Math.Max(1, min);
        this.max = Math.Max(this.min, max);
        Rows = Math.Clamp(initial, this.min, this.max);
    }

    /// <summary>Rows for the next chunk.</summary>
    public int Rows { get; private set; }

    /// <summary>Records a chunk of <paramref name="rows"/> that took <paramref name="elapsed"/>.</summary>
    public void Record(long rows, TimeSpan elapsed)
    {
        if (rows <= 0)
        {
            return;
        }

        var perSecond = rows / Math.Max(elapsed.TotalSeconds, 0.001);
        var ideal = perSecond * target.TotalSeconds;
        var next = (Rows + ideal) / 2;
        next = Math.Min(next, Rows * 2.0);
        Rows = (int)Math.Clamp(next, min, max);
    }
}
