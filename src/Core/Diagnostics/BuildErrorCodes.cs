namespace SchemaBuild.Core.Diagnostics;

/// <summary>
/// Codes of the build's own configuration errors, next to the schema diagnostics' SB0001–SB0007
/// input ids: a project property that the task cannot use.
/// </summary>
public static class BuildErrorCodes
{
    /// <summary><c>SchemaDialect</c> missing or not one of mysql, mariadb, postgres.</summary>
    public const string BadDialect = "SB0008";

    /// <summary><c>SchemaServerVersion</c> or <c>SchemaSeverity</c> not readable.</summary>
    public const string BadSetting = "SB0009";
}
