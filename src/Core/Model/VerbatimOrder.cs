using System;
using System.Collections.Generic;
using System.Linq;

namespace SchemaBuild.Core.Model;

/// <summary>Verbatim statements in one order whatever their source order: how models compare them.</summary>
public static class VerbatimOrder
{
    public static IEnumerable<VerbatimStatement> Sorted(IEnumerable<VerbatimStatement> statements) =>
        statements.OrderBy(v => v.Kind, StringComparer.Ordinal).ThenBy(v => v.Name ?? string.Empty, StringComparer.Ordinal).ThenBy(v => v.Comparable, StringComparer.Ordinal);
}
