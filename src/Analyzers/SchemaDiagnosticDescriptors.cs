using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SchemaBuild.Core.Diagnostics;
using DiagnosticDescriptor = Microsoft.CodeAnalysis.DiagnosticDescriptor;
using CoreSeverity = SchemaBuild.Core.Diagnostics.DiagnosticSeverity;

namespace SchemaBuild.Analyzers;

/// <summary>Roslyn descriptors for every id of the catalogue, with the same default severity and help link as the build.</summary>
public static class SchemaDiagnosticDescriptors
{
    private static readonly Dictionary<string, DiagnosticDescriptor> ById = DiagnosticCatalog.All.ToDictionary(d => d.Id, Create);

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ById.Values.ToImmutableArray();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Id, string Base), DiagnosticDescriptor> WithProjectLinks = new();

    /// <summary>
    /// The descriptor of <paramref name="id"/>; with a project's <c>SchemaHelpLinkBase</c>, a copy whose help link
    /// points there (Roslyn matches reported diagnostics to <see cref="All"/> by id).
    /// </summary>
    public static DiagnosticDescriptor For(string id, string? helpLinkBase = null) =>
        string.IsNullOrWhiteSpace(helpLinkBase)
            ? ById[id]
            : WithProjectLinks.GetOrAdd((id, helpLinkBase!), key => Create(DiagnosticCatalog.Find(key.Id)!, key.Base));

    public static Microsoft.CodeAnalysis.DiagnosticSeverity ToRoslyn(CoreSeverity severity) => severity switch
    {
        CoreSeverity.Error => Microsoft.CodeAnalysis.DiagnosticSeverity.Error,
        CoreSeverity.Warning => Microsoft.CodeAnalysis.DiagnosticSeverity.Warning,
        CoreSeverity.Info => Microsoft.CodeAnalysis.DiagnosticSeverity.Info,
        _ => Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden,
    };

    private static DiagnosticDescriptor Create(Core.Diagnostics.DiagnosticDescriptor descriptor) => Create(descriptor, null);

    private static DiagnosticDescriptor Create(Core.Diagnostics.DiagnosticDescriptor descriptor, string? helpLinkBase) =>
        new(
            descriptor.Id,
            descriptor.Title,
            "{0}",
            "SchemaBuild." + descriptor.Category,
            ToRoslyn(descriptor.DefaultSeverity),
            isEnabledByDefault: true,
            helpLinkUri: DiagnosticHelpLinks.For(descriptor.Id, helpLinkBase));
}
