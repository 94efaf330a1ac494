using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects;

/// <summary>
/// Writes SQL for one dialect. The only place identifiers are quoted and values written as
/// literals: every statement SchemaBuild generates goes through here.
/// </summary>
public interface IDdlWriter
{
    /// <summary>Quotes an identifier, escaping as the engine requires.</summary>
    string QuoteIdentifier(string name);

    /// <summary>Writes a string value as a literal, escaping as the engine requires.</summary>
    string QuoteLiteral(string value);

    /// <summary>
    /// A one-line comment (<c>-- text</c>) that holds any text safely: line breaks and other
    /// characters that could end the comment are neutralised, so nothing in the text reaches SQL.
    /// </summary>
    string Comment(string text);

    /// <summary>A qualified name, each part quoted.</summary>
    string QuoteName(QualifiedName name);

    /// <summary>The whole schema as canonical declarative CREATE statements in dependency order; parses back to an equal model.</summary>
    string WriteSchema(Schema schema);

    /// <summary>One table's CREATE TABLE (and, for PostgreSQL, its CREATE INDEX and COMMENT ON statements).</summary>
    string WriteTable(Table table);

    /// <summary>One view's CREATE VIEW.</summary>
    string WriteView(View view);
}
