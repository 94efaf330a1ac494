using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Loading;

/// <summary>
/// The front end in one call: parse the schema files, normalize the model, check references.
/// What the build, the analyzers and the CLI all use to turn files into a model.
/// </summary>
public static class SchemaLoader
{
    public static ParseResult Load(ISqlDialect dialect, IReadOnlyList<SourceFile> files)
    {
        var parsed = dialect.Parse(files);
        var normalized = dialect.Normalize(parsed.Schema);
        var diagnostics = parsed.Diagnostics.Concat(ReferenceValidator.Validate(normalized));
        return new ParseResult(normalized, Order(diagnostics).ToEquatableList());
    }

    /// <summary>Diagnostics in reading order: by file, line, column, then id.</summary>
    public static IEnumerable<Diagnostic> Order(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .OrderBy(d => d.Span.File, System.StringComparer.Ordinal)
            .ThenBy(d => d.Span.Line)
            .ThenBy(d => d.Span.Column)
            .ThenBy(d => d.Id, System.StringComparer.Ordinal);
}
