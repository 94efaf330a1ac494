using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Introspection;

/// <summary>
/// Who owns each live object whose owner holds privileges on it without a GRANT (PostgreSQL), and which of them it
/// holds. The server records no grant to an owner, so the introspected access lists never show one: a schema file's
/// <c>GRANT SELECT ON t TO deployer</c>, deployed by the role that created <c>t</c>, would otherwise stay a difference
/// forever. <see cref="Credit"/> counts such a desired grant as present on the live side where the owner holds it.
/// Empty for engines where owning an object grants nothing (MySQL).
/// </summary>
public sealed class ObjectOwners
{
    public static readonly ObjectOwners None = new(Array.Empty<OwnedObject>());

    private readonly Dictionary<string, OwnedObject> byKey;

    public ObjectOwners(IEnumerable<OwnedObject> objects) =>
        byKey = objects.GroupBy(o => Key(o.ObjectKind, o.Object)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="live"/> with every grant of <paramref name="desired"/> to an object's live owner added to the
    /// object's access list, as far as the owner holds those privileges (an owner that revoked its own keeps the
    /// difference, and the plan grants them). Objects not live yet are left alone: the role that creates them owns them.
    /// </summary>
    public Schema Credit(Schema live, Schema desired, EngineProfile engine)
    {
        if (byKey.Count == 0)
        {
            return live;
        }

        var lists = live.Privileges.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var credited = false;
        foreach (var wanted in desired.Privileges)
        {
            if (!byKey.TryGetValue(Key(wanted.ObjectKind, wanted.Object), out var owned)
                || wanted.Grants.FirstOrDefault(g => g.Grantee == owned.Owner) is not { } grant)
            {
                continue;
            }

            var held = grant.Privileges.Where(owned.Held.Contains).ToEquatableList();
            if (held.Count == 0)
            {
                continue;
            }

            var list = lists.TryGetValue(wanted.Key, out var existing)
                ? existing
                : new ObjectPrivileges(wanted.ObjectKind, wanted.Object) { Grants = engine.DefaultPrivileges(wanted.ObjectKind, wanted.Object) };
            var ownerGrant = new PrivilegeGrant(owned.Owner) { Privileges = held, Grantable = grant.Grantable.Where(held.Contains).ToEquatableList() };
            lists[wanted.Key] = list with
            {
                Grants = list.Grants.Where(g => g.Grantee != owned.Owner).Append(ownerGrant).OrderBy(g => g.Grantee, StringComparer.Ordinal).ToEquatableList(),
            };
            credited = true;
        }

        return credited ? live with { Privileges = lists.Values.OrderBy(p => p.Key, StringComparer.Ordinal).ToEquatableList() } : live;
    }

    /// <summary>Schemas are named without a schema; relations are keyed by schema and name.</summary>
    private static string Key(string kind, QualifiedName name) => kind == "SCHEMA" ? kind + " " + name.Name : kind + " " + (name.Schema ?? "public") + "." + name.Name;
}
