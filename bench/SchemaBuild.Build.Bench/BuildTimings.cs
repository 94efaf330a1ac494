using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace SchemaBuild.Build.Bench;

/// <summary>Target and task times from MSBuild's <c>-clp:PerformanceSummary</c> output.</summary>
public sealed class BuildTimings
{
    private static readonly Regex Line = new(@"^\s*(\d+) ms\s+(\S+)\s+\d+ calls", RegexOptions.Multiline);

    private readonly Dictionary<string, int> milliseconds = new();

    public BuildTimings(string output)
    {
        foreach (Match match in Line.Matches(output))
        {
            // Targets and tasks are listed in separate sections; their names do not overlap here.
            var name = match.Groups[2].Value;
            milliseconds[name] = milliseconds.GetValueOrDefault(name) + int.Parse(match.Groups[1].Value);
        }
    }

    public int Of(string name) => milliseconds.GetValueOrDefault(name);

    /// <summary>Every target SchemaBuild adds (<c>SchemaBuild*</c>, <c>_SchemaBuild*</c>).</summary>
    public int SchemaBuildTargets()
    {
        var total = 0;
        foreach (var pair in milliseconds)
        {
            if (pair.Key.StartsWith("SchemaBuild", System.StringComparison.Ordinal) || pair.Key.StartsWith("_SchemaBuild", System.StringComparison.Ordinal))
            {
                total += pair.Value;
            }
        }

        return total;
    }
}
