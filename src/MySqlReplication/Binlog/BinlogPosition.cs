using System;
using System.Globalization;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>A point in the binlog: file name and byte offset (where the next event starts).</summary>
public readonly record struct BinlogPosition(string FileName, ulong Position) : IComparable<BinlogPosition>
{
    /// <summary>Orders positions; binlog file names sort by their numeric suffix.</summary>
    public int CompareTo(BinlogPosition other)
    {
        int files = string.CompareOrdinal(FileName, other.FileName);
        return files != 0 ? files : Position.CompareTo(other.Position);
    }

    public override string ToString() => FileName + ":" + Position.ToString(CultureInfo.InvariantCulture);
}
