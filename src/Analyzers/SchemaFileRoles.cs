using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SchemaBuild.Core.Serialization;

namespace SchemaBuild.Analyzers;

/// <summary>Reads <see cref="SchemaFileRole"/> from an AdditionalFile's options.</summary>
public static class SchemaFileRoles
{
    public static SchemaFileRole Of(AdditionalText file, AnalyzerConfigOptionsProvider options) =>
        options.GetOptions(file).TryGetValue("build_metadata.AdditionalFiles.SchemaBuildRole", out var role)
            ? role switch
            {
                "schema" => SchemaFileRole.Schema,
                "baseline-snapshot" => SchemaFileRole.BaselineSnapshot,
                "baseline-file" => SchemaFileRole.BaselineFile,
                _ => SchemaFileRole.None,
            }
            : SchemaFileRole.None;
}
