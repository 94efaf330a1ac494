using System;
using System.Collections.Generic;
using System.IO;
using SchemaBuild.Core.Diagnostics;

namespace SchemaBuild.Core.Rules;

/// <summary>
/// Reads <c>dotnet_diagnostic.SBxxxx.severity</c> from the .editorconfig files above a folder, so
/// the CLI and the MSBuild task honour the same severities as the analyzer in the IDE. Sections
/// that apply to .sql files (<c>[*]</c>, <c>[*.sql]</c>, <c>[*.{sql,...}]</c>) count; nearer files win;
/// <c>root = true</c> stops the search.
/// </summary>
public static class EditorConfigSeverities
{
    private const string Prefix = "dotnet_diagnostic.";
    private const string Suffix = ".severity";

    public static SeverityOverrides Load(string directory)
    {
        var files = new List<string>();
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var path = Path.Combine(current.FullName, ".editorconfig");
            if (!File.Exists(path))
            {
                continue;
            }

            files.Add(path);
            if (IsRoot(File.ReadAllLines(path)))
            {
                break;
            }
        }

        var result = new Dictionary<string, DiagnosticSeverity>(StringComparer.OrdinalIgnoreCase);
        // Farthest first, so nearer files override.
        for (var i = files.Count - 1; i >= 0; i--)
        {
            Read(File.ReadAllLines(files[i]), result);
        }

        return new SeverityOverrides(result);
    }

    /// <summary>Parses one file's text into <paramref name="result"/>.</summary>
    public static void Read(IEnumerable<string> lines, IDictionary<string, DiagnosticSeverity> result)
    {
        var applies = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                applies = SectionAppliesToSql(line.Trim('[', ']'));
                continue;
            }

            var equals = line.IndexOf('=');
            if (!applies || equals < 0)
            {
                continue;
            }

            var key = line.Substring(0, equals).Trim();
            if (key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && key.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase))
            {
                var id = key.Substring(Prefix.Length, key.Length - Prefix.Length - Suffix.Length).ToUpperInvariant();
                if (id.StartsWith("SB", StringComparison.Ordinal) && SeverityOverrides.TryParseSeverity(line.Substring(equals + 1), out var severity))
                {
                    result[id] = severity;
                }
            }
        }
    }

    private static bool IsRoot(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("[", StringComparison.Ordinal))
            {
                return false;
            }

            var parts = line.Split('=');
            if (parts.Length == 2 && parts[0].Trim().Equals("root", StringComparison.OrdinalIgnoreCase) && parts[1].Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SectionAppliesToSql(string glob)
    {
        var name = glob.Substring(glob.LastIndexOf('/') + 1);
        return name == "*" || name == "**" || name.Equals("*.sql", StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("*.{", StringComparison.Ordinal) && name.IndexOf("sql", StringComparison.OrdinalIgnoreCase) >= 0);
    }
}
