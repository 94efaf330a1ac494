using System;
using System.Collections.Concurrent;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Sessions;

/// <summary>
/// One statement per command. Both drivers send a text with several statements as one request and the
/// server runs them all, so a piece of text that ever escaped its quoting would run as a statement of its
/// own; the sessions check every command text with the dialect's lexer first and refuse more than one.
/// </summary>
internal static class SingleStatement
{
    private static readonly ConcurrentDictionary<DialectKind, ISqlDialect> Dialects = new();

    /// <returns><paramref name="sql"/>, once it is known to hold at most one statement.</returns>
    public static string Require(DialectKind dialect, string sql)
    {
        var count = Dialects.GetOrAdd(dialect, kind => SqlDialects.For(kind)).SplitStatements(sql).Count;
        if (count > 1)
        {
            var start = sql.Length > 80 ? sql.Substring(0, 80) + "..." : sql;
            throw new InvalidOperationException(
                $"refused to send a command of {count} statements (one statement per command): {start.ReplaceLineEndings(" ")}. "
                + "This is a bug in SchemaBuild or an edited plan: recompute the plan and report it if it persists.");
        }

        return sql;
    }
}
