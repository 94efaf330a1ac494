using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diff;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// PostgreSQL access-list facts: the privileges each object kind has, what <c>ALL</c> means, the
/// grants a new object starts with, and the GRANT/REVOKE statements that turn one access list into
/// another. The parser folds a file's GRANT/REVOKE statements into <see cref="ObjectPrivileges"/>
/// with the same facts the planner uses to write them back.
/// </summary>
internal static class PostgresPrivileges
{
    /// <summary>Kinds modelled, with their privileges in the order the server lists them (<c>ALL</c> means all of them).</summary>
    private static readonly Dictionary<string, string[]> ByKind = new(StringComparer.Ordinal)
    {
        ["TABLE"] = new[] { "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER" },
        ["SEQUENCE"] = new[] { "USAGE", "SELECT", "UPDATE" },
        ["SCHEMA"] = new[] { "USAGE", "CREATE" },
    };

    public static bool IsModelled(string kind) => ByKind.ContainsKey(kind);

    public static IReadOnlyList<string> All(string kind) => ByKind[kind];

    public static bool IsPrivilege(string kind, string privilege) => Array.IndexOf(ByKind[kind], privilege) >= 0;

    /// <summary>
    /// What a new object grants to roles other than its owner: nothing, except the <c>public</c> schema, which every
    /// database since PostgreSQL 15 creates with USAGE (not CREATE) for PUBLIC.
    /// </summary>
    public static EquatableList<PrivilegeGrant> Defaults(string kind, QualifiedName name) =>
        kind == "SCHEMA" && name.Name == "public"
            ? EquatableList<PrivilegeGrant>.Of(new PrivilegeGrant("PUBLIC") { Privileges = EquatableList<string>.Of("USAGE") })
            : EquatableList<PrivilegeGrant>.Empty;

    /// <summary>A grant's privileges in the server's order, so that equal sets are equal lists.</summary>
    public static EquatableList<string> Ordered(string kind, IEnumerable<string> privileges)
    {
        var set = new HashSet<string>(privileges, StringComparer.Ordinal);
        return ByKind[kind].Where(set.Contains).ToEquatableList();
    }

    /// <summary>The statements that take an object's access list from <paramref name="change"/>'s From to its To (defaults where a side is null).</summary>
    public static IEnumerable<string> Statements(ChangePrivileges change, PostgresDdlWriter writer)
    {
        var target = (change.To ?? change.From)!;
        var from = (change.From?.Grants ?? Defaults(target.ObjectKind, target.Object)).ToDictionary(g => g.Grantee, StringComparer.Ordinal);
        var to = (change.To?.Grants ?? Defaults(target.ObjectKind, target.Object)).ToDictionary(g => g.Grantee, StringComparer.Ordinal);
        var on = " ON " + target.ObjectKind + " " + (target.ObjectKind == "SCHEMA" ? writer.QuoteIdentifier(target.Object.Name) : writer.QuoteName(target.Object));
        foreach (var grantee in from.Keys.Concat(to.Keys).Distinct().OrderBy(g => g, StringComparer.Ordinal))
        {
            var before = from.TryGetValue(grantee, out var b) ? b : new PrivilegeGrant(grantee);
            var after = to.TryGetValue(grantee, out var a) ? a : new PrivilegeGrant(grantee);
            var role = grantee == "PUBLIC" ? "PUBLIC" : writer.QuoteIdentifier(grantee);
            var revoked = before.Privileges.Where(p => !after.Privileges.Contains(p)).ToList();
            var optionRevoked = before.Grantable.Where(p => after.Privileges.Contains(p) && !after.Grantable.Contains(p)).ToList();
            var granted = after.Privileges.Where(p => !before.Privileges.Contains(p) && !after.Grantable.Contains(p)).ToList();
            var grantedWithOption = after.Grantable.Where(p => !before.Grantable.Contains(p)).ToList();
            if (revoked.Count > 0)
            {
                yield return "REVOKE " + string.Join(", ", revoked) + on + " FROM " + role;
            }

            if (optionRevoked.Count > 0)
            {
                yield return "REVOKE GRANT OPTION FOR " + string.Join(", ", optionRevoked) + on + " FROM " + role;
            }

            if (granted.Count > 0)
            {
                yield return "GRANT " + string.Join(", ", granted) + on + " TO " + role;
            }

            if (grantedWithOption.Count > 0)
            {
                yield return "GRANT " + string.Join(", ", grantedWithOption) + on + " TO " + role + " WITH GRANT OPTION";
            }
        }
    }
}
