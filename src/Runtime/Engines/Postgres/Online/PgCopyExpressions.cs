using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>The one place a copied value is converted to the shadow's type, for the copy, the stream and the checksum alike.</summary>
internal static class PgCopyExpressions
{
    public static readonly IDdlWriter Writer = SqlDialects.For(DialectKind.Postgres).Writer;

    /// <summary>The original's column as the shadow stores it (the plan's USING cast).</summary>
    public static string FromSource(PgGhostColumn column) =>
        column.Converts ? "CAST(" + Writer.QuoteIdentifier(column.SourceName) + " AS " + column.ShadowType + ")" : Writer.QuoteIdentifier(column.SourceName);

    /// <summary>A text parameter holding the original's value, read as the original's type, then converted like the copy.</summary>
    public static string Convert(PgGhostColumn column, string parameter) =>
        column.Converts
            ? "CAST(CAST(" + parameter + " AS " + column.SourceType + ") AS " + column.ShadowType + ")"
            : "CAST(" + parameter + " AS " + column.ShadowType + ")";

    /// <summary>A text parameter holding a key value of the original, as the original's type (for key ranges on the original).</summary>
    public static string SourceValue(PgGhostColumn column, string parameter) => "CAST(" + parameter + " AS " + column.SourceType + ")";
}
