namespace SchemaBuild.Core.Model;

/// <summary>
/// The privileges granted on one object (PostgreSQL <c>GRANT</c>/<c>REVOKE</c>), as the server's
/// access list holds them after every statement of the files: one entry per grantee other than the
/// owner (who holds every privilege implicitly). Only objects whose list differs from the server's
/// default for their kind are in a model, so an object with no grants in the files and none on the
/// server compares equal; an empty <see cref="Grants"/> means every default grant was revoked.
/// </summary>
public sealed record ObjectPrivileges(string ObjectKind, QualifiedName Object)
{
    /// <summary>Per grantee, sorted by grantee (<c>PUBLIC</c> for everyone).</summary>
    public EquatableList<PrivilegeGrant> Grants { get; init; } = EquatableList<PrivilegeGrant>.Empty;

    /// <summary>The first GRANT or REVOKE that shaped the list.</summary>
    public SourceSpan Span { get; init; } = SourceSpan.None;

    /// <summary>Identity within a model: the kind and the object's name.</summary>
    public string Key => ObjectKind + " " + Object;
}

/// <summary>What one grantee holds on an object: privilege names in upper case, sorted; those it may grant on, a subset.</summary>
public sealed record PrivilegeGrant(string Grantee)
{
    public EquatableList<string> Privileges { get; init; } = EquatableList<string>.Empty;

    /// <summary>The privileges held <c>WITH GRANT OPTION</c>.</summary>
    public EquatableList<string> Grantable { get; init; } = EquatableList<string>.Empty;
}
