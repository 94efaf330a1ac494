using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>A MariaDB global transaction id: domain-server-sequence.</summary>
public readonly record struct MariaDbGtid(uint DomainId, uint ServerId, ulong Sequence)
{
    public static MariaDbGtid Parse(string text)
    {
        var parts = text.Trim().Split('-');
        if (parts.Length != 3
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint domain)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint server)
            || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong sequence))
        {
            throw new FormatException($"'{text}' is not a MariaDB GTID (domain-server-sequence).");
        }
        return new MariaDbGtid(domain, server, sequence);
    }

    /// <summary>Parses a GTID position such as <c>0-1-100,1-2-7</c> (one GTID per domain).</summary>
    public static IReadOnlyList<MariaDbGtid> ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();

    public static string FormatList(IEnumerable<MariaDbGtid> gtids) => string.Join(",", gtids.OrderBy(g => g.DomainId));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DomainId}-{ServerId}-{Sequence}");
}
