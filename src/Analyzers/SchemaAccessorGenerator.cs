using System.Linq;
using Microsoft.CodeAnalysis;

namespace SchemaBuild.Analyzers;

/// <summary>
/// Generates <c>Db.Customers.Table</c>, <c>Db.Customers.Email</c>, ... from the schema files
/// (AdditionalFiles with <c>SchemaBuildRole=schema</c>). Input problems are the diagnostic
/// analyzer's and the build's to report; the generator emits what parses.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SchemaAccessorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(pair => SchemaFileRoles.Of(pair.Left, pair.Right) == SchemaFileRole.Schema)
            .Select((pair, cancellation) => new SchemaInput(pair.Left.Path, pair.Left.GetText(cancellation)?.ToString() ?? string.Empty, SchemaFileRole.Schema))
            .Collect();
        var settings = context.AnalyzerConfigOptionsProvider.Select((options, _) => SchemaProjectSettings.From(options.GlobalOptions));

        // The source text is the cached value: an edit that changes no accessor (a comment, an index) stops here.
        var source = files.Combine(settings).Select((pair, _) =>
        {
            var (inputs, project) = pair;
            return inputs.IsEmpty || project.Dialect is not { } dialect
                ? null
                : AccessorWriter.Write(SchemaAnalysis.Load(inputs.ToList(), dialect), project.Namespace, project.ClassName);
        });

        context.RegisterSourceOutput(source, (output, text) =>
        {
            if (text is not null)
            {
                output.AddSource("SchemaAccessors.g.cs", text);
            }
        });
    }
}
