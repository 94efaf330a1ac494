using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Runtime.Sessions;

using SchemaBuild.Runtime.Introspection;

namespace SchemaBuild.Runtime.Engines.MySql;

/// <summary>
/// MySQL/MariaDB functions, procedures and triggers as the server keeps them: SHOW CREATE
/// FUNCTION / PROCEDURE / TRIGGER (parameter list and body as the client sent them). Each goes in
/// a DELIMITER block, as the mysql client loads it, so the Core dialect reads bodies with ';' whole.
/// </summary>
internal sealed class MySqlProgrammableObjects
{
    private readonly IDatabaseSession session;

    public MySqlProgrammableObjects(IDatabaseSession session) => this.session = session;

    public async Task WriteAsync(StringBuilder script, ISet<string> excludedTables, Func<object?, string> text, CancellationToken cancellationToken)
    {
        var routines = await session.QueryAsync(
            "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE') ORDER BY ROUTINE_TYPE, ROUTINE_NAME",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in routines)
        {
            await WriteAsync(script, text(row[1]), text(row[0]), text, cancellationToken).ConfigureAwait(false);
        }

        var triggers = await session.QueryAsync(
            "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in triggers.Where(r => !excludedTables.Contains(text(r[1]))))
        {
            await WriteAsync(script, "TRIGGER", text(row[0]), text, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(StringBuilder script, string kind, string name, Func<object?, string> text, CancellationToken cancellationToken)
    {
        var statement = "SHOW CREATE " + kind + " " + session.Writer.QuoteIdentifier(name);
        IReadOnlyList<object?[]> rows;
        try
        {
            rows = await session.QueryAsync(statement, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new IntrospectionException($"could not read the definition of {kind.ToLowerInvariant()} '{name}' in database '{session.DatabaseName}': {ex.Message}. Check that the user may run {statement}", ex);
        }

        // The definition column (third) is NULL when the user may not see the body.
        if (rows.Count == 0 || rows[0].Length < 3 || rows[0][2] is null)
        {
            throw new IntrospectionException(
                $"{statement} returned no definition for '{name}' in database '{session.DatabaseName}': the user needs SHOW_ROUTINE (or SELECT on mysql.proc) and TRIGGER privileges to read routine and trigger bodies");
        }

        script.Append("DELIMITER ;;\n").Append(text(rows[0][2])).Append(";;\nDELIMITER ;\n");
    }
}
