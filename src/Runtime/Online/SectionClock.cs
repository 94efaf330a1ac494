using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace SchemaBuild.Runtime.Online;

/// <summary>
/// Time spent in named parts of a loop, summed (the copy loop's per-chunk costs: chunk end, the copy
/// statement, warnings, commit, probes, checkpoint), reported once when the loop ends.
/// </summary>
internal sealed class SectionClock
{
    private readonly Dictionary<string, (TimeSpan Time, int Count)> sections = new(StringComparer.Ordinal);
    private readonly List<string> order = new();

    /// <summary>Adds the time since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) to <paramref name="name"/>.</summary>
    public void Add(string name, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!sections.TryGetValue(name, out var sum))
        {
            order.Add(name);
        }

        sections[name] = (sum.Time + elapsed, sum.Count + 1);
    }

    public TimeSpan this[string name] => sections.TryGetValue(name, out var sum) ? sum.Time : TimeSpan.Zero;

    /// <summary>"name 1.23s/17" for each part, in the order first seen.</summary>
    public override string ToString() =>
        string.Join(", ", order.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n} {sections[n].Time.TotalSeconds:0.000}s/{sections[n].Count}")));
}

/// <summary>A role that times the parts of its own work (the row copier: chunk end, statement, warnings).</summary>
internal interface ITimedRole
{
    SectionClock Sections { get; }
}
