using System.Linq;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Loading;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Runtime.Introspection;

/// <summary>
/// Parses the DDL an introspector read from the server with the Core dialect, exactly as schema
/// files are loaded (parse, normalize), so live and desired models compare equal.
/// </summary>
internal static class LiveSchemaParser
{
    public static Schema Parse(DialectKind dialect, string ddl, string databaseName)
    {
        var result = SchemaLoader.Load(SqlDialects.For(dialect), new[] { new SourceFile($"live:{databaseName}", ddl) });
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id is "SB0001" or "SB0002" or "SB0003").ToList();
        if (errors.Count > 0)
        {
            throw new IntrospectionException(
                $"the schema read from database '{databaseName}' did not parse ({errors.Count} error(s)); first: {errors[0]}. "
                + "Please report this with the output of 'dotnet schema inspect --raw'.");
        }

        return result.Schema;
    }
}
