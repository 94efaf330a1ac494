using System;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>An open transaction found by the pre-flight check: who, for how long, and what it last ran.</summary>
public sealed record LongTransaction(string SessionId, TimeSpan Age, string? Query)
{
    public override string ToString() =>
        $"session {SessionId} open for {Age.TotalSeconds:0}s" + (string.IsNullOrWhiteSpace(Query) ? string.Empty : $" (last statement: {Shorten(Query!)})");

    private static string Shorten(string query)
    {
        var flat = query.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 120 ? flat : flat.Substring(0, 117) + "...";
    }
}
