using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;

using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// The swap, run inside the cutover transaction after the originals are locked and the stream is
/// drained into the shadows: every table of the deployment at once. Views bind by OID, so views
/// over an original are dropped and created again from their definition; child foreign keys are
/// re-pointed <c>NOT VALID</c> (validated after commit, without blocking writers); grants, owner,
/// owned sequences, the identity sequence's position, row-level security and its policies,
/// triggers, replica identity and other publications come across. The original is kept under its
/// old name, its indexes and identity sequences renamed so the shadow's take their names.
/// </summary>
internal sealed class PgCutover
{
    private readonly string ownPublication;

    public PgCutover(string ownPublication)
    {
        this.ownPublication = ownPublication;
    }

    /// <summary>
    /// Reads the catalog and builds the swap: the statements that swap every table in one round trip,
    /// and those to run after commit (foreign key validation). Run before the lock, after a
    /// <see cref="FingerprintAsync"/> that is taken again under it.
    /// </summary>
    public async Task<PgSwapStatements> PrepareAsync(PgSql sql, IReadOnlyList<PgGhostTable> tables, CancellationToken cancellationToken)
    {
        var oids = new List<long>();
        foreach (var table in tables)
        {
            oids.Add((long)(await sql.ScalarAsync("SELECT to_regclass($1)::oid::bigint", new object?[] { sql.Quote(table.Original) }, cancellationToken).ConfigureAwait(false))!);
        }

        var views = await DependentViewsAsync(sql, oids, cancellationToken).ConfigureAwait(false);
        var foreignKeys = await ChildForeignKeysAsync(sql, oids, cancellationToken).ConfigureAwait(false);
        var after = new List<string>();
        var perTable = new List<(PgGhostTable Table, List<string> Restore)>();
        for (var i = 0; i < tables.Count; i++)
        {
            perTable.Add((tables[i], await CarriedAcrossAsync(sql, tables[i], oids[i], cancellationToken).ConfigureAwait(false)));
        }

        // Everything is read first, then written in one round trip: writers wait for the whole swap.
        var batch = new List<string>();
        batch.AddRange(Enumerable.Reverse(views).Select(view => "DROP VIEW " + sql.Quote(view.Name)));
        batch.AddRange(foreignKeys.Select(fk => "ALTER TABLE " + sql.Quote(fk.Child) + " DROP CONSTRAINT " + sql.Quote(fk.Name)));
        foreach (var (table, restore) in perTable)
        {
            batch.AddRange(await BeforeDropAsync(sql, table, cancellationToken).ConfigureAwait(false));
            var identity = await IdentitySequencesAsync(sql, table, batch, cancellationToken).ConfigureAwait(false);
            batch.AddRange(await KeepOldAsync(sql, table, identity, cancellationToken).ConfigureAwait(false));
            batch.Add("ALTER TABLE " + sql.Quote(table.Shadow) + " RENAME TO " + sql.Quote(table.Original.Name));
            batch.AddRange(table.IndexNames.Select(index => "ALTER INDEX " + sql.Quote(table.Original with { Name = index.Key }) + " RENAME TO " + sql.Quote(index.Value)));
            batch.AddRange(identity.Select(sequence => "ALTER SEQUENCE " + sql.Quote(sequence.Shadow) + " RENAME TO " + sql.Quote(sequence.Name)));
            batch.AddRange(restore);
        }

        batch.AddRange(views.SelectMany(view => view.Create));
        foreach (var fk in foreignKeys)
        {
            var definition = fk.Definition.EndsWith(" NOT VALID", StringComparison.Ordinal) ? fk.Definition : fk.Definition + " NOT VALID";
            batch.Add("ALTER TABLE " + sql.Quote(fk.Child) + " ADD CONSTRAINT " + sql.Quote(fk.Name) + " " + definition);
            if (fk.Validated)
            {
                after.Add("ALTER TABLE " + sql.Quote(fk.Child) + " VALIDATE CONSTRAINT " + sql.Quote(fk.Name));
            }
        }

        return new PgSwapStatements(string.Join(";\n", batch), after);
    }

    /// <summary>
    /// The relations whose catalog rows the swap is built from, found before the lock: the originals,
    /// the shadows and the views over the originals (directly or through other views), and, for their
    /// pg_class and pg_attribute rows only, what depends on those in pg_class (indexes, owned and identity
    /// sequences) and what the views read (their names are in the view definitions).
    /// </summary>
    public static async Task<PgCatalogScope> CatalogScopeAsync(PgSql sql, IReadOnlyList<PgGhostTable> tables, CancellationToken cancellationToken)
    {
        var names = tables.SelectMany(t => new[] { sql.Quote(t.Original), sql.Quote(t.Shadow) }).ToArray();
        var row = (await sql.QueryAsync(
            "WITH RECURSIVE tabs AS (SELECT to_regclass(n)::oid AS oid FROM unnest($1::text[]) n),"
            + " deps(oid, depth) AS ("
            + " SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid"
            + " WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM tabs) AND r.ev_class <> d.refobjid"
            + " UNION"
            + " SELECT r.ev_class, deps.depth + 1 FROM deps JOIN pg_depend d ON d.refobjid = deps.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass"
            + " JOIN pg_rewrite r ON r.oid = d.objid WHERE r.ev_class <> deps.oid AND deps.depth < 50),"
            + " rels AS (SELECT oid FROM tabs WHERE oid IS NOT NULL UNION SELECT oid FROM deps)"
            + " SELECT ARRAY(SELECT oid::bigint FROM rels),"
            + " ARRAY(SELECT d.objid::bigint FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM rels) AND d.classid = 'pg_class'::regclass"
            + " UNION SELECT d.refobjid::bigint FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid"
            + " WHERE r.ev_class IN (SELECT oid FROM deps) AND d.refclassid = 'pg_class'::regclass)",
            new object?[] { names }, cancellationToken).ConfigureAwait(false))[0];
        var relations = (long[])row[0]!;
        return new PgCatalogScope(relations, relations.Concat((long[])row[1]!).Distinct().ToArray());
    }

    /// <summary>
    /// A fingerprint of the catalog rows of <paramref name="scope"/>: their row versions (xmin, ctid) in pg_class
    /// and pg_attribute (names, owners, ACLs, options, column grants), and of the relations' rows in pg_depend
    /// (new or dropped views, sequences, indexes), pg_rewrite, pg_trigger, pg_policy, pg_publication_rel,
    /// pg_constraint, pg_index and pg_description. DDL changes, adds or removes such a row version, so an equal
    /// fingerprint taken under the lock means the swap built before it still holds (a VACUUM FULL of the catalog
    /// changes it too: the swap is then only built again). The statement is prepared without parameters, so the
    /// run under the lock reuses the plan made before it: well under a millisecond. It calls nothing that locks
    /// (pg_get_viewdef waits for the locks the view reads, which nothing beside the cutover may do).
    /// </summary>
    public static async Task<string> FingerprintAsync(PgSql sql, PgCatalogScope scope, CancellationToken cancellationToken)
    {
        string Oids(IEnumerable<long> oids) => sql.Writer.QuoteLiteral("{" + string.Join(",", oids.Select(o => o.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "}") + "::oid[]";
        var all = Oids(scope.All);
        var relations = Oids(scope.Relations);
        string Versions(string tag, string key, string table, string where) =>
            "SELECT '" + tag + "' || " + key + " || ':' || xmin || ctid FROM " + table + " WHERE " + where;
        var text = "SELECT count(*)::text || ':' || md5(string_agg(v, ',' ORDER BY v)) FROM ("
            + string.Join(" UNION ALL ", new[]
            {
                Versions("c", "oid", "pg_class", "oid = ANY (" + all + ")"),
                Versions("a", "attrelid", "pg_attribute", "attrelid = ANY (" + all + ")"),
                Versions("d", "objid", "pg_depend", "refclassid = 'pg_class'::regclass AND refobjid = ANY (" + relations + ")"),
                Versions("r", "ev_class", "pg_rewrite", "ev_class = ANY (" + relations + ")"),
                Versions("t", "tgrelid", "pg_trigger", "tgrelid = ANY (" + relations + ")"),
                Versions("p", "polrelid", "pg_policy", "polrelid = ANY (" + relations + ")"),
                Versions("u", "prrelid", "pg_publication_rel", "prrelid = ANY (" + relations + ")"),
                Versions("k", "conrelid", "pg_constraint", "conrelid = ANY (" + relations + ") OR confrelid = ANY (" + relations + ")"),
                Versions("i", "indrelid", "pg_index", "indrelid = ANY (" + relations + ")"),
                Versions("x", "objoid", "pg_description", "classoid = 'pg_class'::regclass AND objoid = ANY (" + relations + ")"),
            })
            + ") f(v)";
        await using var command = sql.Command(text);
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Views over the originals, directly or through other views, in creation order, with what recreates them.</summary>
    private static async Task<List<(QualifiedName Name, List<string> Create)>> DependentViewsAsync(PgSql sql, List<long> oids, CancellationToken cancellationToken)
    {
        var rows = await sql.QueryAsync(
            "WITH RECURSIVE deps(oid, depth) AS ("
            + " SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid"
            + " WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY ($1::bigint[]::oid[]) AND r.ev_class <> d.refobjid"
            + " UNION"
            + " SELECT r.ev_class, deps.depth + 1 FROM deps JOIN pg_depend d ON d.refobjid = deps.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass"
            + " JOIN pg_rewrite r ON r.oid = d.objid WHERE r.ev_class <> deps.oid AND deps.depth < 50)"
            + " SELECT n.nspname::text, c.relname::text, c.relkind::text, max(deps.depth), pg_get_viewdef(c.oid), c.reloptions::text[], pg_get_userbyid(c.relowner)::text, obj_description(c.oid, 'pg_class'), c.oid::bigint"
            + " FROM deps JOIN pg_class c ON c.oid = deps.oid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " GROUP BY n.nspname, c.relname, c.relkind, c.oid ORDER BY max(deps.depth), c.oid",
            new object?[] { oids.ToArray() }, cancellationToken).ConfigureAwait(false);
        var views = new List<(QualifiedName, List<string>)>();
        foreach (var row in rows)
        {
            var name = new QualifiedName((string)row[0]!, (string)row[1]!);
            if ((string)row[2]! != "v")
            {
                throw new GhostCopyRefusedException(
                    $"{name} is a materialized view over a table being rebuilt; it cannot be carried across the swap. Drop it before this deployment and create it again after.");
            }

            var options = row[5] as string[];
            var create = new List<string>
            {
                "CREATE VIEW " + sql.Quote(name) + (options is { Length: > 0 } ? " WITH (" + string.Join(", ", options.Select(o => OptionText(sql, o))) + ")" : string.Empty)
                + " AS " + ((string)row[4]!).TrimEnd().TrimEnd(';'),
            };
            await OwnerAndGrantsAsync(sql, name, (long)row[8]!, "TABLE", (string)row[6]!, create, cancellationToken).ConfigureAwait(false);
            if (row[7] is string comment)
            {
                create.Add("COMMENT ON VIEW " + sql.Quote(name) + " IS " + sql.Writer.QuoteLiteral(comment));
            }

            views.Add((name, create));
        }

        return views;
    }

    private static string OptionText(PgSql sql, string option)
    {
        var eq = option.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? sql.Quote(option) : sql.Quote(option.Substring(0, eq)) + " = " + sql.Writer.QuoteLiteral(option.Substring(eq + 1));
    }

    private static async Task<List<(QualifiedName Child, string Name, string Definition, bool Validated)>> ChildForeignKeysAsync(PgSql sql, List<long> oids, CancellationToken cancellationToken)
    {
        var rows = await sql.QueryAsync(
            "SELECT n.nspname::text, c.relname::text, con.conname::text, pg_get_constraintdef(con.oid), con.convalidated FROM pg_constraint con "
            + "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE con.contype = 'f' AND con.confrelid = ANY ($1::bigint[]::oid[]) AND con.conrelid <> ALL ($1::bigint[]::oid[]) ORDER BY 1, 2, 3",
            new object?[] { oids.ToArray() }, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => (new QualifiedName((string)r[0]!, (string)r[1]!), (string)r[2]!, (string)r[3]!, (bool)r[4]!)).ToList();
    }

    /// <summary>What is attached to the original and must be attached to the new table after the rename.</summary>
    private async Task<List<string>> CarriedAcrossAsync(PgSql sql, PgGhostTable table, long oid, CancellationToken cancellationToken)
    {
        var restore = new List<string>();
        var name = table.Original;
        var quoted = sql.Quote(name);
        var info = (await sql.QueryAsync(
            "SELECT pg_get_userbyid(relowner)::text, relrowsecurity, relforcerowsecurity, relreplident::text, "
            + "(SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisreplident), "
            + "EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = c.oid) FROM pg_class c WHERE c.oid = $1::oid",
            new object?[] { oid }, cancellationToken).ConfigureAwait(false))[0];
        if ((bool)info[5]!)
        {
            throw new GhostCopyRefusedException($"{name} has rules (CREATE RULE); they cannot be carried across the swap. Drop them before this deployment and create them again after.");
        }

        await OwnerAndGrantsAsync(sql, name, oid, "TABLE", (string)info[0]!, restore, cancellationToken).ConfigureAwait(false);
        foreach (var row in await sql.QueryAsync(
            "SELECT a.attname::text, CASE WHEN x.grantee = 0 THEN NULL ELSE pg_get_userbyid(x.grantee)::text END, x.privilege_type, x.is_grantable "
            + "FROM pg_attribute a, aclexplode(a.attacl) x WHERE a.attrelid = $1::oid AND a.attacl IS NOT NULL AND NOT a.attisdropped ORDER BY 1, 2, 3",
            new object?[] { oid }, cancellationToken).ConfigureAwait(false))
        {
            var column = (string)row[0]!;
            if (table.Column(column) is { } mapped)
            {
                restore.Add("GRANT " + (string)row[2]! + " (" + sql.Quote(mapped.Name) + ") ON " + quoted + " TO " + Grantee(sql, row[1] as string) + ((bool)row[3]! ? " WITH GRANT OPTION" : string.Empty));
            }
        }

        if ((bool)info[1]!)
        {
            restore.Add("ALTER TABLE " + quoted + " ENABLE ROW LEVEL SECURITY");
        }

        if ((bool)info[2]!)
        {
            restore.Add("ALTER TABLE " + quoted + " FORCE ROW LEVEL SECURITY");
        }

        foreach (var row in await sql.QueryAsync(
            "SELECT polname::text, polpermissive, polcmd::text, ARRAY(SELECT CASE WHEN r = 0 THEN NULL ELSE pg_get_userbyid(r)::text END FROM unnest(polroles) r), "
            + "pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid) FROM pg_policy WHERE polrelid = $1::oid ORDER BY polname",
            new object?[] { oid }, cancellationToken).ConfigureAwait(false))
        {
            var command = (string)row[2]! switch { "r" => "SELECT", "a" => "INSERT", "w" => "UPDATE", "d" => "DELETE", _ => "ALL" };
            var roles = ((string?[])row[3]!).Select(r => Grantee(sql, r));
            restore.Add("CREATE POLICY " + sql.Quote((string)row[0]!) + " ON " + quoted + " AS " + ((bool)row[1]! ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + command
                + " TO " + string.Join(", ", roles) + (row[4] is string qual ? " USING (" + qual + ")" : string.Empty) + (row[5] is string check ? " WITH CHECK (" + check + ")" : string.Empty));
        }

        foreach (var row in await sql.QueryAsync(
            "SELECT pg_get_triggerdef(oid), tgenabled::text, tgname::text FROM pg_trigger WHERE tgrelid = $1::oid AND NOT tgisinternal ORDER BY tgname", new object?[] { oid }, cancellationToken).ConfigureAwait(false))
        {
            // The definition names the table as it is now; run after the rename, it binds to the new table.
            restore.Add((string)row[0]!);
            var state = (string)row[1]! switch { "D" => " DISABLE TRIGGER ", "R" => " ENABLE REPLICA TRIGGER ", "A" => " ENABLE ALWAYS TRIGGER ", _ => null };
            if (state is not null)
            {
                restore.Add("ALTER TABLE " + quoted + state + sql.Quote((string)row[2]!));
            }
        }

        switch ((string)info[3]!)
        {
            case "f":
                restore.Add("ALTER TABLE " + quoted + " REPLICA IDENTITY FULL");
                break;
            case "n":
                restore.Add("ALTER TABLE " + quoted + " REPLICA IDENTITY NOTHING");
                break;
            case "i" when info[4] is string index:
                restore.Add("ALTER TABLE " + quoted + " REPLICA IDENTITY USING INDEX " + sql.Quote(index));
                break;
        }

        foreach (var row in await sql.QueryAsync(
            "SELECT p.pubname::text FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = $1::oid AND p.pubname <> $2 ORDER BY 1",
            new object?[] { oid, ownPublication }, cancellationToken).ConfigureAwait(false))
        {
            restore.Add("ALTER PUBLICATION " + sql.Quote((string)row[0]!) + " ADD TABLE " + quoted);
        }

        return restore;
    }

    /// <summary>
    /// The original becomes the old table (kept until <c>dotnet schema complete</c>): it and its
    /// indexes and identity sequences give up their names, which the shadow's take next.
    /// </summary>
    private static async Task<List<string>> KeepOldAsync(PgSql sql, PgGhostTable table, List<(QualifiedName Shadow, string Name)> identity, CancellationToken cancellationToken)
    {
        var schema = table.Original.Schema;
        var statements = identity.Select(sequence =>
            "ALTER SEQUENCE " + sql.Quote(new QualifiedName(schema, sequence.Name)) + " RENAME TO " + sql.Quote(PgGhostNames.Truncate(table.Old.Name + "_" + sequence.Name))).ToList();
        var indexes = await sql.QueryAsync(
            "SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = to_regclass($1) ORDER BY ic.oid",
            new object?[] { sql.Quote(table.Original) }, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < indexes.Count; i++)
        {
            var name = PgGhostNames.Truncate(table.Old.Name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + (string)indexes[i][0]!);
            statements.Add("ALTER INDEX " + sql.Quote(new QualifiedName(schema, (string)indexes[i][0]!)) + " RENAME TO " + sql.Quote(name));
        }

        statements.Add("ALTER TABLE " + sql.Quote(table.Original) + " RENAME TO " + sql.Quote(table.Old.Name));
        return statements;
    }

    /// <summary>Owner (when not the deploying role) and table privileges of <paramref name="oid"/>, granted again on <paramref name="name"/>.</summary>
    private static async Task OwnerAndGrantsAsync(PgSql sql, QualifiedName name, long oid, string kind, string owner, List<string> into, CancellationToken cancellationToken)
    {
        var quoted = sql.Quote(name);
        into.Add("ALTER " + kind + " " + quoted + " OWNER TO " + sql.Quote(owner));
        foreach (var row in await sql.QueryAsync(
            "SELECT CASE WHEN x.grantee = 0 THEN NULL ELSE pg_get_userbyid(x.grantee)::text END, x.privilege_type, x.is_grantable "
            + "FROM pg_class c, aclexplode(c.relacl) x WHERE c.oid = $1::oid AND x.grantee <> c.relowner ORDER BY 1, 2",
            new object?[] { oid }, cancellationToken).ConfigureAwait(false))
        {
            into.Add("GRANT " + (string)row[1]! + " ON " + quoted + " TO " + Grantee(sql, row[0] as string) + ((bool)row[2]! ? " WITH GRANT OPTION" : string.Empty));
        }
    }

    private static string Grantee(PgSql sql, string? role) => role is null ? "PUBLIC" : sql.Quote(role);

    /// <summary>Sequences owned by the original's columns (serial) move to the new table's columns, or they would be dropped with it.</summary>
    private static async Task<List<string>> BeforeDropAsync(PgSql sql, PgGhostTable table, CancellationToken cancellationToken)
    {
        var statements = new List<string>();
        foreach (var row in await sql.QueryAsync(
            "SELECT n.nspname::text, s.relname::text, a.attname::text FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace n ON n.oid = s.relnamespace "
            + "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
            + "WHERE d.classid = 'pg_class'::regclass AND d.refobjid = to_regclass($1) AND d.deptype = 'a'",
            new object?[] { sql.Quote(table.Original) }, cancellationToken).ConfigureAwait(false))
        {
            var column = table.Column((string)row[2]!);
            statements.Add("ALTER SEQUENCE " + sql.Quote(new QualifiedName((string)row[0]!, (string)row[1]!)) + " OWNED BY " + (column is null ? "NONE" : sql.Quote(table.Shadow) + "." + sql.Quote(column.Name)));
        }

        return statements;
    }

    /// <summary>
    /// Sets each identity sequence of the shadow from the original's (the copy inserted explicit
    /// values, so the shadow's sequence still starts at 1 and every insert after the swap would
    /// collide), from the column's maximum when the original had no sequence. Returns shadow
    /// sequence → the original's sequence name, for the rename after the original is dropped.
    /// The setval statements go into <paramref name="batch"/>.
    /// </summary>
    private static async Task<List<(QualifiedName Shadow, string Name)>> IdentitySequencesAsync(PgSql sql, PgGhostTable table, List<string> batch, CancellationToken cancellationToken)
    {
        var renames = new List<(QualifiedName, string)>();
        foreach (var row in await sql.QueryAsync(
            "SELECT a.attname::text, sn.nspname::text, s.relname::text FROM pg_attribute a "
            + "JOIN pg_depend d ON d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.classid = 'pg_class'::regclass AND d.deptype = 'i' "
            + "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace sn ON sn.oid = s.relnamespace "
            + "WHERE a.attrelid = to_regclass($1) AND a.attidentity <> ''",
            new object?[] { sql.Quote(table.Shadow) }, cancellationToken).ConfigureAwait(false))
        {
            var column = table.Columns.FirstOrDefault(c => c.Name == (string)row[0]!);
            var shadowSequence = new QualifiedName((string)row[1]!, (string)row[2]!);
            if (column is null)
            {
                continue; // a new identity column: the copy drew its values from the shadow's own sequence
            }

            var old = await sql.QueryAsync(
                "SELECT sn.nspname::text, s.relname::text, d.deptype::text FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_namespace sn ON sn.oid = s.relnamespace "
                + "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                + "WHERE d.classid = 'pg_class'::regclass AND d.refobjid = to_regclass($1) AND a.attname = $2 AND d.deptype IN ('i', 'a')",
                new object?[] { sql.Quote(table.Original), column.SourceName }, cancellationToken).ConfigureAwait(false);
            if (old.Count > 0)
            {
                var oldName = new QualifiedName((string)old[0][0]!, (string)old[0][1]!);
                batch.Add("SELECT setval(" + sql.Writer.QuoteLiteral(sql.Quote(shadowSequence)) + "::regclass, s.last_value, s.is_called) FROM " + sql.Quote(oldName) + " s");
                if ((string)old[0][2]! == "i")
                {
                    renames.Add((shadowSequence, oldName.Name));
                }
            }
            else
            {
                batch.Add("SELECT setval(" + sql.Writer.QuoteLiteral(sql.Quote(shadowSequence)) + "::regclass, m, true) FROM (SELECT max(" + sql.Quote(column.Name) + ") AS m FROM " + sql.Quote(table.Shadow) + ") x WHERE m IS NOT NULL");
            }
        }

        return renames;
    }
}

/// <summary>The relations a <see cref="PgCutover.FingerprintAsync"/> covers: those the swap reads (originals, shadows, dependent views), and all whose pg_class and pg_attribute rows it checks.</summary>
internal sealed record PgCatalogScope(long[] Relations, long[] All);

/// <summary>The swap as one multi-statement text, and the statements to run after its commit.</summary>
internal sealed record PgSwapStatements(string Swap, IReadOnlyList<string> After);
