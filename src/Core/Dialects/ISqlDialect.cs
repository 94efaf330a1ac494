using System.Collections.Generic;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects;

/// <summary>
/// Everything engine-specific about reading and writing schema SQL, behind one interface so that
/// shared code never asks which engine it is talking to.
/// </summary>
public interface ISqlDialect
{
    DialectKind Kind { get; }

    /// <summary>
    /// Parses declarative schema files into a model as written (not yet normalized) and diagnostics
    /// (SB0001, SB0002, SB0003, SB0005, SB0007). Never throws on bad input.
    /// </summary>
    ParseResult Parse(IReadOnlyList<SourceFile> files);

    /// <summary>
    /// Makes engine defaults explicit and spellings canonical, so that the model of the schema files
    /// equals the model of what the server reports after running them.
    /// </summary>
    Schema Normalize(Schema schema);

    IDdlWriter Writer { get; }

    /// <summary>
    /// The statements the server would run if sent <paramref name="sql"/> in one command: split at
    /// semicolons outside strings, comments, quoted names and compound bodies (MySQL <c>BEGIN ... END</c>,
    /// PostgreSQL <c>BEGIN ATOMIC ... END</c>), with MySQL's executable <c>/*! ... */</c> comments read as code.
    /// Sessions refuse a command text with more than one, so text that reaches the server cannot carry a second statement.
    /// </summary>
    IReadOnlyList<string> SplitStatements(string sql);

    /// <summary>The dialect's tokens of a piece of SQL (a view's query, for its output columns).</summary>
    LexResult Lex(SourceFile file);
}
