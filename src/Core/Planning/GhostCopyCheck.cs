using System.Collections.Generic;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Rules;

namespace SchemaBuild.Core.Planning;

/// <summary>
/// What every engine reports about a planned table copy: SB4002 when the table has no key to copy
/// along (the copy cannot be chunked or kept in sync), SB4001 otherwise.
/// </summary>
internal static class GhostCopyCheck
{
    /// <param name="original">The table as the baseline has it (null when it is new in this plan).</param>
    /// <param name="what">The changes that force the copy, e.g. <c>alter-column, add-check</c>.</param>
    /// <param name="capture">How the engine captures changes during the copy, for the message.</param>
    public static void Report(Table? original, string objectName, string what, SourceSpan span, string capture, ICollection<Diagnostic> diagnostics)
    {
        if (original is not null && original.PrimaryKey is null && !ReplicationRule.HasNonNullUniqueKey(original))
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.NoKeyToCopyAlong,
                $"{objectName}: {what} needs a table copy, but {original.Name} has no primary key or non-null unique key to copy along; add a primary key first",
                span, objectName));
            return;
        }

        diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.GhostCopyPlanned,
            $"{objectName}: {what} needs a table copy; planned as an online ghost copy (shadow table, chunked copy, {capture}, gated cutover). Make sure the server has room for a second copy of {original?.Name.ToString() ?? objectName}; to avoid the copy, make the change in a form the engine applies in place (see the rule page)",
            span, objectName));
    }
}
