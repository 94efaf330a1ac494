using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Tests.Planning;

/// <summary>
/// One planning scenario, read from a <c>.scenario</c> file: expectations as <c>-- expect:</c> lines,
/// then <c>=== baseline</c>, <c>=== desired</c> and an optional <c>=== seed</c> (rows inserted into
/// the baseline before the plan runs, which must survive it).
/// </summary>
public sealed record Scenario(string Name, DialectKind Dialect, string Baseline, string Desired, string Seed, IReadOnlyList<string> Expectations)
{
    public static Scenario Load(string path)
    {
        var dialect = Path.GetFileName(Path.GetDirectoryName(path)) == "postgres" ? DialectKind.Postgres : DialectKind.MariaDb;
        var sections = new Dictionary<string, List<string>> { ["head"] = new(), ["baseline"] = new(), ["desired"] = new(), ["seed"] = new() };
        var current = sections["head"];
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
            {
                var name = line.Substring(4).Trim();
                current = sections.TryGetValue(name, out var section) ? section : throw new FormatException($"{path}: unknown section '{name}'");
                continue;
            }

            current.Add(line);
        }

        var expectations = sections["head"]
            .Where(l => l.StartsWith("-- expect:", StringComparison.Ordinal))
            .Select(l => l.Substring("-- expect:".Length).Trim())
            .ToList();
        return new Scenario(
            Path.GetFileNameWithoutExtension(path), dialect,
            string.Join("\n", sections["baseline"]), string.Join("\n", sections["desired"]), string.Join("\n", sections["seed"]),
            expectations);
    }

    public override string ToString() => Name;
}
