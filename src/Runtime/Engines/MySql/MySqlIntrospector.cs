using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Sessions;

using SchemaBuild.Runtime.Introspection;

namespace SchemaBuild.Runtime.Engines.MySql;

/// <summary>
/// MySQL/MariaDB: lists tables and views from information_schema, reads each one's
/// <c>SHOW CREATE TABLE</c> / <c>SHOW CREATE VIEW</c> (the server's own canonical DDL) and parses the
/// text with the Core MySQL dialect, so the live model is normalized exactly as schema files are.
/// </summary>
internal sealed class MySqlIntrospector : ISchemaIntrospector
{
    private readonly IDatabaseSession session;
    private readonly HashSet<string> excluded;

    public MySqlIntrospector(IDatabaseSession session, IReadOnlyCollection<string> excludedTables)
    {
        this.session = session;
        excluded = new HashSet<string>(excludedTables, StringComparer.OrdinalIgnoreCase);
    }

    public async Task<Schema> IntrospectAsync(CancellationToken cancellationToken) =>
        LiveSchemaParser.Parse(session.Dialect, await ReadDdlAsync(cancellationToken).ConfigureAwait(false), session.DatabaseName);

    public async Task<string> ReadDdlAsync(CancellationToken cancellationToken)
    {
        var objects = await session.QueryAsync(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name",
            null, cancellationToken).ConfigureAwait(false);
        var script = new StringBuilder();
        foreach (var row in objects)
        {
            var name = Text(row[0]);
            if (excluded.Contains(name))
            {
                continue;
            }

            var isView = Text(row[1]) == "VIEW";
            var statement = (isView ? "SHOW CREATE VIEW " : "SHOW CREATE TABLE ") + session.Writer.QuoteIdentifier(name);
            IReadOnlyList<object?[]> create;
            try
            {
                create = await session.QueryAsync(statement, null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new IntrospectionException($"could not read the definition of {(isView ? "view" : "table")} '{name}' in database '{session.DatabaseName}': {ex.Message}. Check that the user may run {statement}", ex);
            }

            if (create.Count == 0 || create[0].Length < 2)
            {
                throw new IntrospectionException($"{statement} returned no definition for '{name}' in database '{session.DatabaseName}'");
            }

            script.Append(Text(create[0][1])).Append(";\n");
        }

        await new MySqlProgrammableObjects(session).WriteAsync(script, excluded, Text, cancellationToken).ConfigureAwait(false);
        return script.ToString();
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
