using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Artifacts;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Planning;
using SchemaBuild.Core.Serialization;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Analyzers;

/// <summary>
/// The build's compile, fed from AdditionalFiles only: the schema files, and the baseline when it is
/// a snapshot or a folder. A <c>git:</c> baseline needs git, which an analyzer may not run, so the
/// IDE then plans from nothing and leaves the change rules to the build.
/// </summary>
public static class SchemaAnalysis
{
    public static PlanCompilation Compile(IReadOnlyList<SchemaInput> inputs, SchemaProjectSettings settings, DialectKind dialect)
    {
        var files = Sources(inputs, SchemaFileRole.Schema);
        var request = new PlanRequest(dialect, files, string.Empty)
        {
            ServerVersion = settings.ServerVersion,
            Severities = settings.ReadSeverities(),
        };
        return PlanCompiler.Compile(request, Baseline(inputs, dialect));
    }

    /// <summary>The desired model only (no rules), for the accessor generator.</summary>
    public static Schema Load(IReadOnlyList<SchemaInput> inputs, DialectKind dialect) =>
        SchemaLoader.Load(SqlDialects.For(dialect), Sources(inputs, SchemaFileRole.Schema)).Schema;

    private static IReadOnlyList<SourceFile> Sources(IEnumerable<SchemaInput> inputs, SchemaFileRole role) =>
        inputs.Where(i => i.Role == role)
            .OrderBy(i => i.Path, StringComparer.Ordinal)
            .Select(i => new SourceFile(i.Path, i.Text))
            .ToList();

    private static ParseResult Baseline(IReadOnlyList<SchemaInput> inputs, DialectKind dialect)
    {
        var snapshot = inputs.FirstOrDefault(i => i.Role == SchemaFileRole.BaselineSnapshot);
        if (snapshot is not null)
        {
            try
            {
                var schema = BaselineSnapshot.Read(snapshot.Text);
                return new ParseResult(schema with { Dialect = dialect }, EquatableList<Diagnostic>.Empty);
            }
            catch (FormatException ex)
            {
                var failure = Diagnostic.Create(DiagnosticCatalog.BadBaseline, $"baseline '{snapshot.Path}' could not be read: {ex.Message}");
                return new ParseResult(new Schema(dialect), EquatableList<Diagnostic>.Of(failure));
            }
        }

        var folder = Sources(inputs, SchemaFileRole.BaselineFile);
        return folder.Count == 0
            ? new ParseResult(new Schema(dialect), EquatableList<Diagnostic>.Empty)
            : SchemaLoader.Load(SqlDialects.For(dialect), folder);
    }
}
