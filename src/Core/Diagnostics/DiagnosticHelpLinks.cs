namespace SchemaBuild.Core.Diagnostics;

/// <summary>Where each diagnostic id is explained: the rules catalogue, one anchor per id.</summary>
public static class DiagnosticHelpLinks
{
    public const string DefaultBase = "https://github.com/schemabuild/schemabuild/blob/main/docs/rules.md#";

    /// <summary><paramref name="linkBase"/> (or <see cref="DefaultBase"/>) followed by the lower-case id, e.g. <c>...#sb1002</c>.</summary>
    public static string For(string id, string? linkBase = null) =>
        (string.IsNullOrEmpty(linkBase) ? DefaultBase : linkBase) + id.ToLowerInvariant();
}
