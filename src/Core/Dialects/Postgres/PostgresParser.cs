using System;
using System.Collections.Generic;
using SchemaBuild.Core.Diagnostics;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Reads PostgreSQL schema files (hand-written DDL or <c>pg_dump --schema-only</c> output) into a model
/// as written, with SB0001/SB0002/SB0003/SB0004/SB0005/SB0007 diagnostics. Files are read in the order
/// given, so an ALTER or COMMENT may refer to objects of earlier files. Never throws on bad input.
/// </summary>
public sealed class PostgresParser
{
    public ParseResult Parse(IReadOnlyList<SourceFile> files)
    {
        var diagnostics = new List<Diagnostic>();
        var model = new PostgresModelBuilder(diagnostics);
        var longIdentifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var lex = PostgresLexer.Lex(file);
            diagnostics.AddRange(lex.Diagnostics);
            ReportLongIdentifiers(lex, longIdentifiers, diagnostics);
            var binder = new AnnotationBinder(AnnotationReader.Read(lex, diagnostics));
            model.AddAllowances(binder.Allowances);
            try
            {
                new PostgresStatementParser(lex, model, binder, diagnostics).Run();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // A parser bug must not take the build down: report it where the file starts.
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.SyntaxError,
                    "the file could not be read completely (" + error.Message + ")",
                    new SourceSpan(file.Path, 1, 1, 0, 0)));
            }

            binder.ReportDangling(diagnostics);
        }

        return new ParseResult(model.Build(), diagnostics.ToEquatableList());
    }

    /// <summary>
    /// SB6003 where an identifier is written: the server cuts names to 63 bytes, and so does the model (so it
    /// equals what the server reads back), which leaves the rules nothing too long to see. Once per identifier.
    /// </summary>
    private static void ReportLongIdentifiers(LexResult lex, HashSet<string> reported, List<Diagnostic> diagnostics)
    {
        foreach (var token in lex.Tokens)
        {
            if (token.Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier))
            {
                continue;
            }

            // A UTF-16 character is at most 3 UTF-8 bytes and folding keeps the length: short words need neither (keywords
            // written in capitals would otherwise allocate their folded copy, once per token).
            var written = token.Kind == TokenKind.QuotedIdentifier ? token.Value : token.Text;
            if (written.Length * 3 <= PostgresNames.MaxIdentifierBytes)
            {
                continue;
            }

            var identifier = token.Kind == TokenKind.QuotedIdentifier ? written : written.ToLowerInvariant();
            var bytes = System.Text.Encoding.UTF8.GetByteCount(identifier);
            if (bytes > PostgresNames.MaxIdentifierBytes && reported.Add(identifier))
            {
                diagnostics.Add(Diagnostic.Create(
                    DiagnosticCatalog.IdentifierTooLong,
                    $"identifier '{identifier}' is {bytes} bytes; postgres allows {PostgresNames.MaxIdentifierBytes} and silently truncates longer names to "
                    + $"'{PostgresNames.Clip(identifier, PostgresNames.MaxIdentifierBytes)}'. Shorten it",
                    token.ToSpan(lex.File.Path),
                    identifier));
            }
        }
    }
}
