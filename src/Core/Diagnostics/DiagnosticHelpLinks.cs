using System;
using System.Linq;
using System.Reflection;

namespace SchemaBuild.Core.Diagnostics;

/// <summary>
/// Where each diagnostic id is explained: one page per id, <c>docs/rules/SB1002.md</c> in the
/// repository. The default base is built from the package's repository URL when Core is compiled
/// (<c>PackageProjectUrl</c>, else <c>RepositoryUrl</c>); a project overrides it with the MSBuild
/// property <c>SchemaHelpLinkBase</c>, e.g. to point at its own copy of the pages.
/// </summary>
public static class DiagnosticHelpLinks
{
    /// <summary>The base compiled in: <c>https://…/blob/main/docs/rules/</c>.</summary>
    public static string DefaultBase { get; } =
        typeof(DiagnosticHelpLinks).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SchemaBuildHelpLinkBase")?.Value ?? string.Empty;

    /// <summary>
    /// The page of <paramref name="id"/>: <paramref name="linkBase"/> (or <see cref="DefaultBase"/> when empty)
    /// followed by <c>SB1002.md</c>; a base holding <c>{id}</c> gets the id put there instead (for sites without
    /// <c>.md</c> names). Empty when no base is known.
    /// </summary>
    public static string For(string id, string? linkBase = null)
    {
        var chosen = string.IsNullOrWhiteSpace(linkBase) ? DefaultBase : linkBase!.Trim();
        if (chosen.Length == 0)
        {
            return string.Empty;
        }

        if (chosen.IndexOf("{id}", StringComparison.Ordinal) >= 0)
        {
            return chosen.Replace("{id}", id);
        }

        return (chosen.EndsWith("/", StringComparison.Ordinal) ? chosen : chosen + "/") + id + ".md";
    }
}
