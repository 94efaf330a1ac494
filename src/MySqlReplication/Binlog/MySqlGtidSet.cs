using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SchemaBuild.MySqlReplication.Protocol;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// A MySQL GTID set (<c>uuid:1-100:200,uuid2:1-5</c>) with its binary encoding for
/// COM_BINLOG_DUMP_GTID. Intervals are kept sorted and merged; ends are inclusive.
/// </summary>
public sealed class MySqlGtidSet
{
    private readonly SortedDictionary<Guid, List<(ulong Start, ulong End)>> _sets = new(Comparer<Guid>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())));

    public static MySqlGtidSet Parse(string text)
    {
        var set = new MySqlGtidSet();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':');
            if (pieces.Length < 2 || !Guid.TryParse(pieces[0], out Guid sid)) throw new FormatException($"'{part}' is not a GTID set entry (uuid:interval[:interval...]).");
            foreach (string interval in pieces.Skip(1))
            {
                var bounds = interval.Split('-');
                ulong start = ParseNumber(bounds[0]);
                ulong end = bounds.Length == 2 ? ParseNumber(bounds[1]) : start;
                if (bounds.Length > 2 || start == 0 || end < start) throw new FormatException($"'{interval}' is not a GTID interval.");
                set.Add(sid, start, end);
            }
        }
        return set;
    }

    private static ulong ParseNumber(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) ? n : throw new FormatException($"'{text}' is not a transaction number.");

    public bool IsEmpty => _sets.Count == 0;

    /// <summary>Adds one transaction (after it commits) or an inclusive range.</summary>
    public void Add(Guid sourceId, ulong start, ulong end)
    {
        if (!_sets.TryGetValue(sourceId, out var list)) _sets[sourceId] = list = new List<(ulong, ulong)>();
        list.Add((start, end));
        list.Sort();
        var merged = new List<(ulong Start, ulong End)>();
        foreach (var iv in list)
        {
            if (merged.Count > 0 && iv.Start <= merged[^1].End + 1) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, iv.End));
            else merged.Add(iv);
        }
        list.Clear();
        list.AddRange(merged);
    }

    public void Add(Guid sourceId, ulong transaction) => Add(sourceId, transaction, transaction);

    public bool Contains(Guid sourceId, ulong transaction) =>
        _sets.TryGetValue(sourceId, out var list) && list.Any(iv => iv.Start <= transaction && transaction <= iv.End);

    /// <summary>
    /// Binary form: n_sids (8), then per source: uuid (16, RFC byte order), n_intervals (8),
    /// intervals as [start, end + 1) pairs of 8-byte integers, all little-endian.
    /// </summary>
    public byte[] Encode()
    {
        var w = new PacketWriter();
        w.WriteUInt64((ulong)_sets.Count);
        foreach (var (sid, intervals) in _sets)
        {
            w.WriteBytes(sid.ToByteArray(bigEndian: true));
            w.WriteUInt64((ulong)intervals.Count);
            foreach (var (start, end) in intervals) w.WriteUInt64(start).WriteUInt64(end + 1);
        }
        return w.Payload.ToArray();
    }

    public override string ToString() =>
        string.Join(",", _sets.Select(kv => kv.Key.ToString() + ":" + string.Join(":", kv.Value.Select(iv => iv.Start == iv.End
            ? iv.Start.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{iv.Start}-{iv.End}")))));
}
