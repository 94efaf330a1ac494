using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Sessions;

using SchemaBuild.Runtime.Introspection;

namespace SchemaBuild.Runtime.Engines.Postgres;

/// <summary>
/// PostgreSQL domains, functions, procedures, aggregates, operators and triggers as the server
/// defines them: pg_get_functiondef and pg_get_triggerdef (bodies exactly as stored in prosrc), and
/// CREATE DOMAIN / AGGREGATE / OPERATOR statements written from pg_type, pg_constraint,
/// pg_aggregate and pg_operator. Runs inside the introspector's snapshot with an empty search_path,
/// so every name is qualified; the Core dialect reads them into the same canonical definitions as
/// the schema files. Objects that belong to extensions are left out.
/// </summary>
internal sealed class PostgresProgrammableObjects
{
    private const string UserNamespace = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";

    private readonly IDatabaseSession session;

    public PostgresProgrammableObjects(IDatabaseSession session) => this.session = session;

    public async Task WriteAsync(StringBuilder ddl, ISet<string> excludedTables, CancellationToken cancellationToken)
    {
        await WriteDomainsAsync(ddl, cancellationToken).ConfigureAwait(false);
        var routines = await session.QueryAsync(
            "SELECT pg_catalog.pg_get_functiondef(p.oid) FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
            + "WHERE p.prokind IN ('f', 'p', 'w') AND " + UserNamespace + " AND " + NotExtensionMember("pg_proc", "p.oid")
            + " ORDER BY n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in routines)
        {
            ddl.Append(((string)row[0]!).TrimEnd()).Append(";\n");
        }

        await WriteAggregatesAsync(ddl, cancellationToken).ConfigureAwait(false);
        await WriteOperatorsAsync(ddl, cancellationToken).ConfigureAwait(false);
        var triggers = await session.QueryAsync(
            "SELECT c.relname, pg_catalog.pg_get_triggerdef(t.oid) FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND " + UserNamespace
            + " AND " + NotExtensionMember("pg_class", "c.oid") + " ORDER BY n.nspname, c.relname, t.tgname",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in triggers.Where(r => !excludedTables.Contains((string)r[0]!)))
        {
            ddl.Append((string)row[1]!).Append(";\n");
        }
    }

    private static string NotExtensionMember(string catalog, string oid) =>
        $"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.{catalog}'::pg_catalog.regclass AND e.objid = {oid} AND e.deptype = 'e')";

    private async Task WriteDomainsAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT n.nspname, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, "
            + "CASE WHEN t.typcollation <> b.typcollation THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) "
            + "FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END, "
            + "ARRAY(SELECT pg_catalog.quote_ident(k.conname) || ' ' || pg_catalog.pg_get_constraintdef(k.oid) FROM pg_catalog.pg_constraint k "
            + "WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname) "
            + "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype "
            + "WHERE t.typtype = 'd' AND " + UserNamespace + " AND " + NotExtensionMember("pg_type", "t.oid") + " ORDER BY 1, 2",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            ddl.Append("CREATE DOMAIN ").Append(Name((string)row[0]!, (string)row[1]!)).Append(" AS ").Append((string)row[2]!);
            if (row[5] is string collation)
            {
                ddl.Append(" COLLATE ").Append(collation);
            }

            if (row[4] is string defaultValue)
            {
                ddl.Append(" DEFAULT ").Append(defaultValue);
            }

            if (row[3] is true)
            {
                ddl.Append(" NOT NULL");
            }

            foreach (var check in (string[])row[6]!)
            {
                ddl.Append(" CONSTRAINT ").Append(check);
            }

            ddl.Append(";\n");
        }
    }

    private async Task WriteAggregatesAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        string Function(string column) => $"CASE WHEN a.{column} <> 0 THEN a.{column}::pg_catalog.regproc::text END";
        var rows = await session.QueryAsync(
            "SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), "
            + Function("aggtransfn") + ", pg_catalog.format_type(a.aggtranstype, NULL), " + Function("aggfinalfn") + ", a.agginitval, "
            + Function("aggcombinefn") + ", " + Function("aggserialfn") + ", " + Function("aggdeserialfn") + ", "
            + Function("aggmtransfn") + ", " + Function("aggminvtransfn") + ", " + Function("aggmfinalfn") + ", "
            + "CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END, a.aggminitval, "
            + "CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::pg_catalog.regoper::text END, a.aggfinalextra, a.aggmfinalextra, a.aggtransspace, p.proparallel::text "
            + "FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
            + "WHERE a.aggkind = 'n' AND " + UserNamespace + " AND " + NotExtensionMember("pg_proc", "p.oid") + " ORDER BY 1, 2, 3",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            var options = new List<string> { "SFUNC = " + (string)row[3]!, "STYPE = " + (string)row[4]! };
            Add(options, "FINALFUNC", row[5]);
            if (row[6] is string initial)
            {
                options.Add("INITCOND = " + session.Writer.QuoteLiteral(initial));
            }

            Add(options, "COMBINEFUNC", row[7]);
            Add(options, "SERIALFUNC", row[8]);
            Add(options, "DESERIALFUNC", row[9]);
            Add(options, "MSFUNC", row[10]);
            Add(options, "MINVFUNC", row[11]);
            Add(options, "MFINALFUNC", row[12]);
            Add(options, "MSTYPE", row[13]);
            if (row[14] is string movingInitial)
            {
                options.Add("MINITCOND = " + session.Writer.QuoteLiteral(movingInitial));
            }

            if (row[15] is string sortOperator)
            {
                options.Add("SORTOP = OPERATOR(" + sortOperator + ")");
            }

            if (row[16] is true)
            {
                options.Add("FINALFUNC_EXTRA");
            }

            if (row[17] is true)
            {
                options.Add("MFINALFUNC_EXTRA");
            }

            if (row[18] is int space && space != 0)
            {
                options.Add("SSPACE = " + space.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            options.Add("PARALLEL = " + ((string)row[19]! switch { "s" => "SAFE", "r" => "RESTRICTED", _ => "UNSAFE" }));
            ddl.Append("CREATE AGGREGATE ").Append(Name((string)row[0]!, (string)row[1]!)).Append('(').Append((string)row[2]!).Append(") (")
                .Append(string.Join(", ", options)).Append(");\n");
        }
    }

    private async Task WriteOperatorsAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT n.nspname, o.oprname, CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END, "
            + "CASE WHEN o.oprright <> 0 THEN pg_catalog.format_type(o.oprright, NULL) END, o.oprcode::pg_catalog.regproc::text, "
            + "CASE WHEN o.oprcom <> 0 THEN o.oprcom::pg_catalog.regoper::text END, CASE WHEN o.oprnegate <> 0 THEN o.oprnegate::pg_catalog.regoper::text END, "
            + "CASE WHEN o.oprrest <> 0 THEN o.oprrest::pg_catalog.regproc::text END, CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::pg_catalog.regproc::text END, "
            + "o.oprcanhash, o.oprcanmerge "
            + "FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace "
            + "WHERE o.oprcode <> 0 AND " + UserNamespace + " AND " + NotExtensionMember("pg_operator", "o.oid") + " ORDER BY 1, 2, 3, 4",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            var options = new List<string> { "FUNCTION = " + (string)row[4]! };
            Add(options, "LEFTARG", row[2]);
            Add(options, "RIGHTARG", row[3]);
            if (row[5] is string commutator)
            {
                options.Add("COMMUTATOR = OPERATOR(" + commutator + ")");
            }

            if (row[6] is string negator)
            {
                options.Add("NEGATOR = OPERATOR(" + negator + ")");
            }

            Add(options, "RESTRICT", row[7]);
            Add(options, "JOIN", row[8]);
            if (row[9] is true)
            {
                options.Add("HASHES");
            }

            if (row[10] is true)
            {
                options.Add("MERGES");
            }

            // The symbol is operator characters only (the server allows nothing else), so it needs no quoting.
            ddl.Append("CREATE OPERATOR ").Append(session.Writer.QuoteIdentifier((string)row[0]!)).Append('.').Append((string)row[1]!)
                .Append(" (").Append(string.Join(", ", options)).Append(");\n");
        }
    }

    private static void Add(List<string> options, string key, object? value)
    {
        if (value is string text)
        {
            options.Add(key + " = " + text);
        }
    }

    private string Name(string schema, string name) => session.Writer.QuoteName(new QualifiedName(schema, name));
}
