using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace SchemaBuild.Core.Model;

/// <summary>
/// Lists how two models differ, one line per difference with a readable path, e.g.
/// <c>tables[users].columns[email].Type.Length: 100 != 120</c>. Used by fidelity tests and drift reports.
/// Elements of lists that have a Name are matched by name; others by position.
/// </summary>
public static class ModelComparer
{
    public static IReadOnlyList<string> Differences(object? expected, object? actual)
    {
        var lines = new List<string>();
        Compare(expected, actual, string.Empty, lines);
        return lines;
    }

    private static void Compare(object? expected, object? actual, string path, List<string> lines)
    {
        if (Equals(expected, actual))
        {
            return;
        }

        if (expected is null || actual is null || expected.GetType() != actual.GetType() || IsScalar(expected.GetType()))
        {
            lines.Add($"{Label(path)}: {Show(expected)} != {Show(actual)}");
            return;
        }

        if (expected is VerbatimStatement expectedStatement && actual is VerbatimStatement actualStatement)
        {
            // Compared by canonical definition: the text as written and the server's text differ in spelling.
            lines.Add($"{Label(path)}: {Show(expectedStatement.Comparable)} != {Show(actualStatement.Comparable)}");
            return;
        }

        if (expected is IEnumerable expectedItems && actual is IEnumerable actualItems)
        {
            CompareLists(expectedItems.Cast<object?>().ToList(), actualItems.Cast<object?>().ToList(), path, lines);
            return;
        }

        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract"
                || property.PropertyType == typeof(SourceSpan) || property.PropertyType == typeof(Annotations) || property.PropertyType == typeof(WrittenSql)
                || (property.DeclaringType == typeof(Schema) && property.Name == nameof(Schema.Allowances)))
            {
                continue;
            }

            if (property.DeclaringType == typeof(Schema) && property.Name == nameof(Schema.Verbatim))
            {
                // Compared in any order, as Schema equality does.
                Compare(VerbatimOrder.Sorted(((Schema)expected).Verbatim).ToList(), VerbatimOrder.Sorted(((Schema)actual).Verbatim).ToList(), Join(path, property.Name), lines);
                continue;
            }

            Compare(property.GetValue(expected), property.GetValue(actual), Join(path, property.Name), lines);
        }
    }

    private static void CompareLists(List<object?> expected, List<object?> actual, string path, List<string> lines)
    {
        var expectedKeys = expected.Select(Key).ToList();
        var actualKeys = actual.Select(Key).ToList();
        var keyed = expectedKeys.All(k => k is not null) && actualKeys.All(k => k is not null)
            && expectedKeys.Distinct().Count() == expectedKeys.Count && actualKeys.Distinct().Count() == actualKeys.Count;
        if (!keyed)
        {
            for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
            {
                Compare(i < expected.Count ? expected[i] : null, i < actual.Count ? actual[i] : null, $"{path}[{i}]", lines);
            }

            return;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var j = actualKeys.IndexOf(expectedKeys[i]);
            if (j < 0)
            {
                lines.Add($"{path}[{expectedKeys[i]}]: missing from actual");
            }
            else
            {
                Compare(expected[i], actual[j], $"{path}[{expectedKeys[i]}]", lines);
            }
        }

        foreach (var key in actualKeys.Where(k => !expectedKeys.Contains(k)))
        {
            lines.Add($"{path}[{key}]: unexpected in actual");
        }

        var commonExpected = expectedKeys.Where(actualKeys.Contains).ToList();
        var commonActual = actualKeys.Where(expectedKeys.Contains).ToList();
        if (!commonExpected.SequenceEqual(commonActual))
        {
            lines.Add($"{Label(path)}: order {string.Join(", ", commonExpected)} != {string.Join(", ", commonActual)}");
        }
    }

    private static string? Key(object? item)
    {
        var property = item?.GetType().GetProperty("Name");
        return property is null ? null : property.GetValue(item)?.ToString();
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(QualifiedName);

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        _ => value.ToString() ?? string.Empty,
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Label(string path) => path.Length == 0 ? "(root)" : path;
}
