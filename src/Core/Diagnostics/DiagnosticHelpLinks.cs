namespace SchemaBuild.Core.Diagnostics;

/// <summary>
/// Where each diagnostic id is explained: the rules catalogue, one anchor per id. The package ships
/// the catalogue (docs/rules.md) and the build points links at that copy; hosts that know a better
/// place pass their own base.
/// </summary>
public static class DiagnosticHelpLinks
{
    /// <summary><paramref name="linkBase"/> followed by the lower-case id (<c>...rules.md#sb1002</c>); empty when no base is known.</summary>
    public static string For(string id, string? linkBase) =>
        string.IsNullOrEmpty(linkBase) ? string.Empty : linkBase + id.ToLowerInvariant();
}
