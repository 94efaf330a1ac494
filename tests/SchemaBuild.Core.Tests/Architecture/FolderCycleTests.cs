using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SchemaBuild.Tests.Shared;
using Xunit;

namespace SchemaBuild.Core.Tests.Architecture;

/// <summary>
/// ARCHITECTURE.md: data flows one way, one folder per pipeline stage, no folder cycles. The graph is built from the
/// sources of src/Core: a file in folder A (its namespace SchemaBuild.Core.A…) depends on folder B when it has
/// <c>using SchemaBuild.Core.B…;</c> or names <c>SchemaBuild.Core.B.</c> in full. Sub-folders count as their top folder
/// (Dialects.MySql is Dialects), so an engine folder cannot reach back into a stage its parent sits below.
/// </summary>
public sealed class FolderCycleTests
{
    // None left: the model's JSON, fingerprint and baseline snapshots moved from Artifacts to Serialization, below
    // Loading and Planning. A cycle found now is new.
    private static readonly string[][] KnownCycles = Array.Empty<string[]>();

    private static readonly Regex Namespace = new(@"^namespace\s+SchemaBuild\.Core\.(\w+)", RegexOptions.Multiline);
    private static readonly Regex Reference = new(@"\bSchemaBuild\.Core\.(\w+)\b");

    [Fact]
    public void Core_folders_have_no_dependency_cycle()
    {
        var graph = Graph();
        Assert.True(graph.Count >= 8, "the graph covers Core's folders: " + string.Join(", ", graph.Keys));
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => c.OrderBy(n => n, StringComparer.Ordinal).ToArray()).ToList();
        var unexpected = cycles.Where(c => !KnownCycles.Any(k => k.SequenceEqual(c))).ToList();
        Assert.True(unexpected.Count == 0, "folder cycles in src/Core: " + string.Join("; ", unexpected.Select(c => Describe(graph, c))));
    }

    [Fact]
    public void The_cycle_finder_finds_a_cycle_through_three_folders()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["Model"] = new(),
            ["Planning"] = new() { "Model", "Loading" },
            ["Loading"] = new() { "Artifacts" },
            ["Artifacts"] = new() { "Planning", "Model" },
        };
        var cycle = Assert.Single(StronglyConnected(graph), c => c.Count > 1);
        Assert.Equal(new[] { "Artifacts", "Loading", "Planning" }, cycle.OrderBy(n => n, StringComparer.Ordinal));
    }

    private static Dictionary<string, HashSet<string>> Graph()
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Find(), "src", "Core"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || file.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            if (Namespace.Match(text) is not { Success: true } own)
            {
                continue;
            }

            var from = own.Groups[1].Value;
            var edges = graph.TryGetValue(from, out var existing) ? existing : graph[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match reference in Reference.Matches(text))
            {
                if (reference.Groups[1].Value != from)
                {
                    edges.Add(reference.Groups[1].Value);
                }
            }
        }

        return graph;
    }

    /// <summary>Tarjan's strongly connected components: each component of more than one folder is a cycle.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in graph.TryGetValue(node, out var edges) ? edges : new HashSet<string>())
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in graph.Keys.ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    private static string Describe(Dictionary<string, HashSet<string>> graph, string[] cycle) =>
        string.Join(", ", cycle.SelectMany(from => graph[from].Where(cycle.Contains).Select(to => from + " → " + to)));
}
