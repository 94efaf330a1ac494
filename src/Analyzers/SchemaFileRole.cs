using SchemaBuild.Core.Serialization;
namespace SchemaBuild.Analyzers;

/// <summary>
/// What an AdditionalFile is to SchemaBuild, from its <c>SchemaBuildRole</c> metadata (set in
/// SchemaBuild.targets): other projects' .sql or text files are never mistaken for schema files.
/// </summary>
public enum SchemaFileRole
{
    None,

    /// <summary>A desired-schema file (a <c>SchemaFile</c> item).</summary>
    Schema,

    /// <summary>A baseline snapshot (<c>schema.baseline.json</c>).</summary>
    BaselineSnapshot,

    /// <summary>A file of a baseline folder.</summary>
    BaselineFile,
}
