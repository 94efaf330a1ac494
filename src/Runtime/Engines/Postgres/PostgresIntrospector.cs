using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Sessions;

using SchemaBuild.Runtime.Introspection;

namespace SchemaBuild.Runtime.Engines.Postgres;

/// <summary>
/// PostgreSQL: reads pg_catalog and writes the schema as pg_dump would (the server's own
/// deparsers — format_type, pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef —
/// with an empty search_path so every name is schema-qualified), then parses that text with the
/// Core PostgreSQL dialect, so the live model is normalized exactly as schema files and pg_dump
/// output are. Invalid indexes (a failed CONCURRENTLY) are left out: the executor rebuilds them.
/// </summary>
internal sealed class PostgresIntrospector : ISchemaIntrospector
{
    private const string UserNamespace =
        "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";

    private const string NotExtensionMember =
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND e.objid = c.oid AND e.deptype = 'e')";

    private readonly IDatabaseSession session;
    private readonly HashSet<string> excluded;

    public PostgresIntrospector(IDatabaseSession session, IReadOnlyCollection<string> excludedTables)
    {
        this.session = session;
        excluded = new HashSet<string>(excludedTables, StringComparer.Ordinal);
    }

    public async Task<Schema> IntrospectAsync(CancellationToken cancellationToken) =>
        LiveSchemaParser.Parse(session.Dialect, await ReadDdlAsync(cancellationToken).ConfigureAwait(false), session.DatabaseName);

    public async Task<string> ReadDdlAsync(CancellationToken cancellationToken)
    {
        // One snapshot, and an empty search_path so the deparsers qualify every name as pg_dump does.
        await session.ExecuteAsync("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", null, cancellationToken).ConfigureAwait(false);
        var ddl = new StringBuilder();
        try
        {
            await session.QueryAsync("SELECT pg_catalog.set_config('search_path', '', true)", null, cancellationToken).ConfigureAwait(false);
            await WriteSchemasAsync(ddl, cancellationToken).ConfigureAwait(false);
            await WriteExtensionsAsync(ddl, cancellationToken).ConfigureAwait(false);
            await WriteEnumsAsync(ddl, cancellationToken).ConfigureAwait(false);
            var sequences = await ReadSequencesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var sequence in sequences.Where(s => s.DependencyType is null or "a"))
            {
                ddl.Append("CREATE SEQUENCE ").Append(Name(sequence.Schema, sequence.Name));
                if (sequence.Type != "bigint")
                {
                    ddl.Append(" AS ").Append(sequence.Type);
                }

                ddl.Append(sequence.Options()).Append(";\n");
            }

            var columns = await ReadColumnsAsync(cancellationToken).ConfigureAwait(false);
            await WriteTablesAsync(ddl, columns, sequences, cancellationToken).ConfigureAwait(false);
            foreach (var sequence in sequences.Where(s => s.DependencyType == "a"))
            {
                ddl.Append("ALTER SEQUENCE ").Append(Name(sequence.Schema, sequence.Name)).Append(" OWNED BY ")
                    .Append(Name(sequence.OwnerSchema!, sequence.OwnerTable!)).Append('.').Append(Quote(sequence.OwnerColumn!)).Append(";\n");
            }

            await WritePartitionsAsync(ddl, cancellationToken).ConfigureAwait(false);
            await WriteConstraintsAsync(ddl, cancellationToken).ConfigureAwait(false);
            await WriteIndexesAsync(ddl, "('r', 'p')", cancellationToken).ConfigureAwait(false);
            await WriteViewsAsync(ddl, columns, cancellationToken).ConfigureAwait(false);
            await WriteIndexesAsync(ddl, "('m')", cancellationToken).ConfigureAwait(false);
            await new PostgresProgrammableObjects(session).WriteAsync(ddl, excluded, cancellationToken).ConfigureAwait(false);
            await WritePrivilegesAsync(ddl, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // End the snapshot without hiding why it failed: on a broken connection the ROLLBACK fails too.
            try
            {
                await session.ExecuteAsync("ROLLBACK", null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The original exception below says what went wrong.
            }

            throw;
        }

        await session.ExecuteAsync("COMMIT", null, CancellationToken.None).ConfigureAwait(false);
        return ddl.ToString();
    }

    /// <summary>
    /// Access lists that are not the default (a non-null ACL), as pg_dump writes them: everything PUBLIC holds revoked,
    /// then one GRANT per grantee other than the owner. The parser folds them back into the same lists the files give.
    /// </summary>
    private async Task WritePrivilegesAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT o.kind, o.nspname, o.relname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END, a.privilege_type, a.is_grantable "
            + "FROM " + AccessLists(withDefaults: false) + " LEFT JOIN LATERAL pg_catalog.aclexplode(o.acl) a ON a.grantee <> o.owner "
            + "ORDER BY 1, 2, 3, 4, a.privilege_type",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var byObject in rows.Where(r => r[2] is null || !excluded.Contains((string)r[2]!)).GroupBy(r => ((string)r[0]!, (string)r[1]!, r[2] as string)))
        {
            var (kind, schema, relation) = byObject.Key;
            var on = " ON " + kind + " " + (relation is null ? Quote(schema) : Name(schema, relation));
            ddl.Append("REVOKE ALL").Append(on).Append(" FROM PUBLIC;\n");
            foreach (var byGrantee in byObject.Where(r => r[3] is not null).GroupBy(r => (string)r[3]!))
            {
                var grantee = byGrantee.Key == "PUBLIC" ? "PUBLIC" : Quote(byGrantee.Key);
                foreach (var withOption in byGrantee.GroupBy(r => (bool)r[5]!))
                {
                    ddl.Append("GRANT ").Append(string.Join(", ", withOption.Select(r => (string)r[4]!))).Append(on).Append(" TO ").Append(grantee)
                        .Append(withOption.Key ? " WITH GRANT OPTION" : string.Empty).Append(";\n");
                }
            }
        }
    }

    /// <summary>
    /// Every user schema, table, view and sequence with its owner and what the owner holds: its entries in the access
    /// list, or the default list (<c>acldefault</c>: everything) when the object has none.
    /// </summary>
    public async Task<ObjectOwners> OwnersAsync(CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT o.kind, o.nspname, o.relname, pg_catalog.pg_get_userbyid(o.owner)::text, "
            + "pg_catalog.array_agg(a.privilege_type::text) FILTER (WHERE a.privilege_type IS NOT NULL)::text[] "
            + "FROM " + AccessLists(withDefaults: true) + " LEFT JOIN LATERAL pg_catalog.aclexplode(o.acl) a ON a.grantee = o.owner "
            + "GROUP BY 1, 2, 3, 4",
            null, cancellationToken).ConfigureAwait(false);
        return new ObjectOwners(rows.Where(r => r[2] is null || !excluded.Contains((string)r[2]!)).Select(r => new OwnedObject(
            (string)r[0]!,
            r[2] is string relation ? new QualifiedName((string)r[1]!, relation) : QualifiedName.Unqualified((string)r[1]!),
            (string)r[3]!,
            new HashSet<string>(r[4] as string[] ?? Array.Empty<string>(), StringComparer.Ordinal))));
    }

    /// <summary>
    /// The user schemas, tables, views and sequences as <c>o (kind, nspname, relname, acl, owner)</c>: only those with an
    /// access list of their own, or (<paramref name="withDefaults"/>) every one, a missing list read as the default (<c>acldefault</c>).
    /// </summary>
    private static string AccessLists(bool withDefaults)
    {
        string List(string acl, string kind, string owner) => withDefaults ? $"COALESCE({acl}, pg_catalog.acldefault(({kind})::\"char\", {owner}))" : acl;
        string Listed(string acl) => withDefaults ? string.Empty : acl + " IS NOT NULL AND ";
        return "(SELECT 'SCHEMA' AS kind, n.nspname, NULL::name AS relname, " + List("n.nspacl", "'n'", "n.nspowner") + " AS acl, n.nspowner AS owner "
               + "FROM pg_catalog.pg_namespace n WHERE " + Listed("n.nspacl") + UserNamespace
               + " UNION ALL SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, n.nspname, c.relname, "
               + List("c.relacl", "CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END", "c.relowner") + ", c.relowner "
               + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
               + "WHERE " + Listed("c.relacl") + "c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND " + UserNamespace + " AND " + NotExtensionMember + ") o";
    }

    private async Task WriteSchemasAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace') FROM pg_catalog.pg_namespace n WHERE n.nspname <> 'public' AND " + UserNamespace
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND e.objid = n.oid AND e.deptype = 'e') ORDER BY 1",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            ddl.Append("CREATE SCHEMA ").Append(Quote((string)row[0]!)).Append(";\n");
            Comment(ddl, "SCHEMA " + Quote((string)row[0]!), row[1]);
        }
    }

    private async Task WriteExtensionsAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            ddl.Append("CREATE EXTENSION IF NOT EXISTS ").Append(Quote((string)row[0]!)).Append(" WITH SCHEMA ").Append(Quote((string)row[1]!)).Append(";\n");
        }
    }

    private async Task WriteEnumsAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT n.nspname, t.typname, pg_catalog.array_agg(l.enumlabel ORDER BY l.enumsortorder)::text[], pg_catalog.obj_description(t.oid, 'pg_type') "
            + "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace JOIN pg_catalog.pg_enum l ON l.enumtypid = t.oid "
            + "WHERE " + UserNamespace
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND e.objid = t.oid AND e.deptype = 'e') "
            + "GROUP BY n.nspname, t.typname, t.oid ORDER BY 1, 2",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            var name = Name((string)row[0]!, (string)row[1]!);
            var labels = ((string[])row[2]!).Select(session.Writer.QuoteLiteral);
            ddl.Append("CREATE TYPE ").Append(name).Append(" AS ENUM (\n    ").Append(string.Join(",\n    ", labels)).Append("\n);\n");
            Comment(ddl, "TYPE " + name, row[3]);
        }
    }

    private async Task<List<SequenceRow>> ReadSequencesAsync(CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, "
            + "d.deptype::text, tn.nspname, tc.relname, a.attname "
            + "FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype IN ('a', 'i') "
            + "LEFT JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace "
            + "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
            + "WHERE " + UserNamespace + " AND " + NotExtensionMember + " ORDER BY 1, 2",
            null, cancellationToken).ConfigureAwait(false);
        return rows
            .Where(r => r[11] is null || !excluded.Contains((string)r[11]!))
            .Select(r => new SequenceRow(
                (string)r[0]!, (string)r[1]!, (string)r[2]!, (long)r[3]!, (long)r[4]!, (long)r[5]!, (long)r[6]!, (long)r[7]!, (bool)r[8]!,
                r[9] as string, r[10] as string, r[11] as string, r[12] as string))
            .ToList();
    }

    private async Task<List<ColumnRow>> ReadColumnsAsync(CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), "
            + "a.attidentity::text, a.attgenerated::text, "
            + "CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END, "
            + "pg_catalog.col_description(a.attrelid, a.attnum) "
            + "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
            + "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            + "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
            + "WHERE c.relkind IN ('r', 'p', 'v') AND a.attnum > 0 AND NOT a.attisdropped AND " + UserNamespace + " AND " + NotExtensionMember
            + " ORDER BY n.nspname, c.relname, a.attnum",
            null, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new ColumnRow(
            (string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (bool)r[4]!, r[5] as string,
            (string?)r[6] ?? string.Empty, (string?)r[7] ?? string.Empty, r[8] as string, r[9] as string)).ToList();
    }

    private async Task WriteTablesAsync(StringBuilder ddl, List<ColumnRow> columns, List<SequenceRow> sequences, CancellationToken cancellationToken)
    {
        var tables = await session.QueryAsync(
            "SELECT n.nspname, c.relname, c.relpersistence::text, c.reloptions, pg_catalog.obj_description(c.oid, 'pg_class'), "
            + "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
            + "ARRAY(SELECT pn.nspname::text FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), "
            + "ARRAY(SELECT p.relname::text FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND " + UserNamespace + " AND " + NotExtensionMember + " ORDER BY 1, 2",
            null, cancellationToken).ConfigureAwait(false);
        var checks = await session.QueryAsync(
            "SELECT n.nspname, c.relname, con.conname, pg_catalog.pg_get_constraintdef(con.oid) "
            + "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE con.contype = 'c' AND con.convalidated AND con.conislocal AND " + UserNamespace + " ORDER BY 1, 2, 3",
            null, cancellationToken).ConfigureAwait(false);
        var byTable = columns.ToLookup(c => (c.Schema, c.Table));
        var checksByTable = checks.ToLookup(r => ((string)r[0]!, (string)r[1]!));
        foreach (var table in tables)
        {
            var schema = (string)table[0]!;
            var tableName = (string)table[1]!;
            if (excluded.Contains(tableName))
            {
                continue;
            }

            var name = Name(schema, tableName);
            ddl.Append((string)table[2]! == "u" ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ").Append(name).Append(" (");
            var lines = new List<string>();
            foreach (var column in byTable[(schema, tableName)])
            {
                lines.Add("    " + column.Definition(Quote));
            }

            foreach (var check in checksByTable[(schema, tableName)])
            {
                lines.Add("    CONSTRAINT " + Quote((string)check[2]!) + " " + (string)check[3]!);
            }

            ddl.Append(lines.Count == 0 ? string.Empty : "\n" + string.Join(",\n", lines) + "\n").Append(')');
            var parentSchemas = (string[])table[6]!;
            if (parentSchemas.Length > 0)
            {
                ddl.Append("\nINHERITS (").Append(string.Join(", ", parentSchemas.Zip((string[])table[7]!, Name))).Append(')');
            }

            if (table[5] is string partitionKey)
            {
                ddl.Append("\nPARTITION BY ").Append(partitionKey);
            }

            var options = StorageOptions(table[3] as string[], out _);
            if (options.Length > 0)
            {
                ddl.Append("\nWITH (").Append(options).Append(')');
            }

            ddl.Append(";\n");
            Comment(ddl, "TABLE " + name, table[4]);
            foreach (var column in byTable[(schema, tableName)])
            {
                Comment(ddl, "COLUMN " + name + "." + Quote(column.Name), column.Comment);
                if (column.Identity.Length > 0)
                {
                    var sequence = sequences.FirstOrDefault(s => s.DependencyType == "i" && s.OwnerSchema == schema && s.OwnerTable == tableName && s.OwnerColumn == column.Name);
                    ddl.Append("ALTER TABLE ").Append(name).Append(" ALTER COLUMN ").Append(Quote(column.Name))
                        .Append(column.Identity == "a" ? " ADD GENERATED ALWAYS AS IDENTITY (" : " ADD GENERATED BY DEFAULT AS IDENTITY (");
                    if (sequence is not null)
                    {
                        ddl.Append("\n    SEQUENCE NAME ").Append(Name(sequence.Schema, sequence.Name)).Append(sequence.Options());
                    }

                    ddl.Append("\n);\n");
                }
            }
        }
    }

    /// <summary>
    /// Partitions as <c>PARTITION OF parent FOR VALUES ...</c> (pg_get_expr of the bound), with their own partition key
    /// when they are partitioned too. Their columns, keys and indexes are the parent's and are not written.
    /// </summary>
    private async Task WritePartitionsAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT n.nspname, c.relname, pn.nspname, p.relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid), "
            + "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, pg_catalog.obj_description(c.oid, 'pg_class'), c.relpersistence::text "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid JOIN pg_catalog.pg_class p ON p.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace "
            + "WHERE c.relispartition AND c.relkind IN ('r', 'p') AND " + UserNamespace + " AND " + NotExtensionMember + " ORDER BY 1, 2",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows.Where(r => !excluded.Contains((string)r[1]!)))
        {
            var name = Name((string)row[0]!, (string)row[1]!);
            ddl.Append((string)row[7]! == "u" ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ").Append(name).Append(" PARTITION OF ").Append(Name((string)row[2]!, (string)row[3]!))
                .Append("\n    ").Append((string)row[4]!);
            if (row[5] is string partitionKey)
            {
                ddl.Append("\nPARTITION BY ").Append(partitionKey);
            }

            ddl.Append(";\n");
            Comment(ddl, "TABLE " + name, row[6]);
        }
    }

    private async Task WriteConstraintsAsync(StringBuilder ddl, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT n.nspname, c.relname, con.conname, pg_catalog.pg_get_constraintdef(con.oid), pg_catalog.obj_description(con.oid, 'pg_constraint') "
            + "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND NOT (con.contype = 'c' AND con.convalidated) AND con.conislocal AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
            + "AND " + UserNamespace + " AND " + NotExtensionMember
            + " ORDER BY CASE con.contype WHEN 'f' THEN 1 ELSE 0 END, 1, 2, 3",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows.Where(r => !excluded.Contains((string)r[1]!)))
        {
            var table = Name((string)row[0]!, (string)row[1]!);
            ddl.Append("ALTER TABLE ONLY ").Append(table).Append("\n    ADD CONSTRAINT ").Append(Quote((string)row[2]!)).Append(' ').Append((string)row[3]!).Append(";\n");
            Comment(ddl, "CONSTRAINT " + Quote((string)row[2]!) + " ON " + table, row[4]);
        }

        var checkComments = await session.QueryAsync(
            "SELECT n.nspname, c.relname, con.conname, pg_catalog.obj_description(con.oid, 'pg_constraint') "
            + "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE con.contype = 'c' AND con.convalidated AND con.conislocal AND pg_catalog.obj_description(con.oid, 'pg_constraint') IS NOT NULL AND " + UserNamespace,
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in checkComments.Where(r => !excluded.Contains((string)r[1]!)))
        {
            Comment(ddl, "CONSTRAINT " + Quote((string)row[2]!) + " ON " + Name((string)row[0]!, (string)row[1]!), row[3]);
        }
    }

    /// <summary>Indexes of the relations of <paramref name="relkinds"/> (tables before views, materialized views after them).</summary>
    private async Task WriteIndexesAsync(StringBuilder ddl, string relkinds, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT pg_catalog.pg_get_indexdef(i.indexrelid), pg_catalog.obj_description(i.indexrelid, 'pg_class'), n.nspname, ic.relname, c.relname "
            + "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE i.indisvalid AND c.relkind IN " + relkinds + " AND NOT c.relispartition AND " + UserNamespace + " AND " + NotExtensionMember
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) "
            + "ORDER BY 3, 4",
            null, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows.Where(r => !excluded.Contains((string)r[4]!)))
        {
            ddl.Append((string)row[0]!).Append(";\n");
            Comment(ddl, "INDEX " + Name((string)row[2]!, (string)row[3]!), row[1]);
        }
    }

    private async Task WriteViewsAsync(StringBuilder ddl, List<ColumnRow> columns, CancellationToken cancellationToken)
    {
        // Dependency order: a view after the views it reads (pg_depend through the view's rewrite rule).
        var rows = await session.QueryAsync(
            "SELECT n.nspname, c.relname, pg_catalog.pg_get_viewdef(c.oid), c.reloptions, pg_catalog.obj_description(c.oid, 'pg_class'), "
            + "ARRAY(SELECT DISTINCT d.refobjid::bigint FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_depend d ON d.objid = r.oid AND d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass "
            + "WHERE r.ev_class = c.oid AND d.refobjid <> c.oid), c.oid::bigint, c.relkind = 'm', c.relispopulated "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('v', 'm') AND " + UserNamespace + " AND " + NotExtensionMember + " ORDER BY 1, 2",
            null, cancellationToken).ConfigureAwait(false);
        var byOid = rows.ToDictionary(r => (long)r[6]!);
        var written = new HashSet<long>();
        var byTable = columns.ToLookup(c => (c.Schema, c.Table));

        void Write(object?[] row, int depth)
        {
            var oid = (long)row[6]!;
            if (!written.Add(oid))
            {
                return;
            }

            foreach (var dependency in (long[])row[5]!)
            {
                if (depth < 100 && byOid.TryGetValue(dependency, out var other))
                {
                    Write(other, depth + 1);
                }
            }

            var name = Name((string)row[0]!, (string)row[1]!);
            var materialized = (bool)row[7]!;
            var options = StorageOptions(row[3] as string[], out var checkOption);
            ddl.Append(materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ").Append(name);
            if (options.Length > 0)
            {
                ddl.Append(" WITH (").Append(options).Append(')');
            }

            var definition = ((string)row[2]!).TrimEnd().TrimEnd(';');
            ddl.Append(" AS\n").Append(definition);
            if (checkOption is not null)
            {
                ddl.Append("\n  WITH ").Append(checkOption.ToUpperInvariant()).Append(" CHECK OPTION");
            }

            if (materialized && !(bool)row[8]!)
            {
                ddl.Append("\n  WITH NO DATA");
            }

            ddl.Append(";\n");
            Comment(ddl, (materialized ? "MATERIALIZED VIEW " : "VIEW ") + name, row[4]);
            foreach (var column in byTable[((string)row[0]!, (string)row[1]!)])
            {
                Comment(ddl, "COLUMN " + name + "." + Quote(column.Name), column.Comment);
            }
        }

        foreach (var row in rows)
        {
            Write(row, 0);
        }
    }

    /// <summary>reloptions as pg_dump writes them (<c>fillfactor='70'</c>); a view's <c>check_option</c> comes back separately.</summary>
    private string StorageOptions(string[]? options, out string? checkOption)
    {
        checkOption = null;
        var parts = new List<string>();
        foreach (var option in options ?? Array.Empty<string>())
        {
            var eq = option.IndexOf('=');
            var name = eq < 0 ? option : option.Substring(0, eq);
            var value = eq < 0 ? string.Empty : option.Substring(eq + 1);
            if (name == "check_option")
            {
                checkOption = value;
                continue;
            }

            parts.Add(name + "=" + session.Writer.QuoteLiteral(value));
        }

        return string.Join(", ", parts);
    }

    private void Comment(StringBuilder ddl, string target, object? comment)
    {
        if (comment is string text)
        {
            ddl.Append("COMMENT ON ").Append(target).Append(" IS ").Append(session.Writer.QuoteLiteral(text)).Append(";\n");
        }
    }

    private string Quote(string identifier) => session.Writer.QuoteIdentifier(identifier);

    private string Name(string schema, string name) => session.Writer.QuoteName(new QualifiedName(schema, name));

    private sealed record SequenceRow(
        string Schema, string Name, string Type, long Start, long Increment, long Min, long Max, long Cache, bool Cycle,
        string? DependencyType, string? OwnerSchema, string? OwnerTable, string? OwnerColumn)
    {
        /// <summary>The option block as pg_dump writes it: NO MINVALUE/NO MAXVALUE where the value is the type's default.</summary>
        public string Options()
        {
            var (typeMin, typeMax) = Type switch
            {
                "smallint" => ((long)short.MinValue, (long)short.MaxValue),
                "integer" => ((long)int.MinValue, (long)int.MaxValue),
                _ => (long.MinValue, long.MaxValue),
            };
            var defaultMin = Increment > 0 ? 1 : typeMin;
            var defaultMax = Increment > 0 ? typeMax : -1;
            var text = new StringBuilder();
            text.Append("\n    START WITH ").Append(Start.ToString(CultureInfo.InvariantCulture));
            text.Append("\n    INCREMENT BY ").Append(Increment.ToString(CultureInfo.InvariantCulture));
            text.Append(Min == defaultMin ? "\n    NO MINVALUE" : "\n    MINVALUE " + Min.ToString(CultureInfo.InvariantCulture));
            text.Append(Max == defaultMax ? "\n    NO MAXVALUE" : "\n    MAXVALUE " + Max.ToString(CultureInfo.InvariantCulture));
            text.Append("\n    CACHE ").Append(Cache.ToString(CultureInfo.InvariantCulture));
            if (Cycle)
            {
                text.Append("\n    CYCLE");
            }

            return text.ToString();
        }
    }

    private sealed record ColumnRow(
        string Schema, string Table, string Name, string Type, bool NotNull, string? Default, string Identity, string Generated, string? Collation, string? Comment)
    {
        public string Definition(Func<string, string> quote)
        {
            var text = new StringBuilder(quote(Name)).Append(' ').Append(Type);
            if (Collation is not null)
            {
                text.Append(" COLLATE ").Append(Collation);
            }

            if (Generated == "s" && Default is not null)
            {
                text.Append(" GENERATED ALWAYS AS (").Append(Default).Append(") STORED");
            }
            else if (Default is not null)
            {
                text.Append(" DEFAULT ").Append(Default);
            }

            if (NotNull)
            {
                text.Append(" NOT NULL");
            }

            return text.ToString();
        }
    }
}
