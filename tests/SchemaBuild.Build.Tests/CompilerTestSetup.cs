using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace SchemaBuild.Build.Tests;

/// <summary>
/// What the Roslyn testing frameworks need to compile like a schema project: the running runtime's
/// assemblies as references (no reference-pack download) and the build's analyzer config.
/// </summary>
internal static class CompilerTestSetup
{
    /// <summary>References to the assemblies of the running .NET, so tests need no package feed.</summary>
    public static ReferenceAssemblies RuntimeReferences { get; } = new ReferenceAssemblies("net10.0");

    public static MetadataReference[] RuntimeAssemblies { get; } =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();

    /// <summary>The global analyzer config the SDK writes for a schema project (CompilerVisibleProperty / metadata).</summary>
    public static (string Path, SourceText Text) GlobalConfig(string dialect, string extra = "") =>
        ("/.globalconfig", SourceText.From($"is_global = true\nbuild_property.SchemaDialect = {dialect}\nbuild_property.RootNamespace = App\n{extra}", Encoding.UTF8));

    /// <summary>An AdditionalFiles entry marked as a schema file, as the props mark it.</summary>
    public static string SchemaFileSection(string path) => $"\n[{path}]\nbuild_metadata.AdditionalFiles.SchemaBuildRole = schema\n";
}
