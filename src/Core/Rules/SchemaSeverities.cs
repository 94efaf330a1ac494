using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace SchemaBuild.Core.Rules;

/// <summary>
/// The severities a schema project asks for: <c>dotnet_diagnostic.SBxxxx.severity</c> in the
/// .editorconfig files above the schema folder, then the <c>SchemaSeverity</c> property
/// (<c>SB1002=warning;SB6001=none</c>), which wins. The task and the analyzer both take them from here.
/// </summary>
public static class SchemaSeverities
{
    public static SeverityOverrides Resolve(string schemaDirectory, string? property) =>
        EditorConfigSeverities.Load(schemaDirectory).Then(SeverityOverrides.Parse(property));

    /// <summary>The deepest folder holding every schema file; the project folder when there are none.</summary>
    public static string SchemaDirectory(IEnumerable<string> fullPaths, string projectDirectory)
    {
        string? common = null;
        foreach (var directory in fullPaths.Select(Path.GetDirectoryName).Where(d => d is not null))
        {
            common = common is null ? directory : CommonPrefix(common, directory!);
        }

        return string.IsNullOrEmpty(common) ? projectDirectory : common!;
    }

    private static string CommonPrefix(string a, string b)
    {
        var left = a.Split(Path.DirectorySeparatorChar);
        var right = b.Split(Path.DirectorySeparatorChar);
        var count = 0;
        while (count < left.Length && count < right.Length && string.Equals(left[count], right[count], StringComparison.Ordinal))
        {
            count++;
        }

        return string.Join(Path.DirectorySeparatorChar.ToString(), left.Take(count));
    }
}
