using System;
using System.Collections.Generic;

namespace SchemaBuild.Core.Syntax;

/// <summary>Splits lexed SQL into statements, each ended by the dialect's block-aware statement end.</summary>
internal static class StatementSplitter
{
    /// <param name="statementEnd">The index of the ';' (or end of input) that ends the statement starting at an index.</param>
    /// <returns>Each statement's text from its first to its last token (no ';').</returns>
    public static IReadOnlyList<string> Split(LexResult lex, Func<IReadOnlyList<Token>, int, int> statementEnd)
    {
        var tokens = lex.Tokens;
        var text = lex.File.Text;
        var statements = new List<string>();
        var i = 0;
        while (i < tokens.Count && tokens[i].Kind != TokenKind.EndOfFile)
        {
            if (tokens[i].IsPunctuation(';'))
            {
                i++;
                continue;
            }

            var end = Math.Max(i + 1, statementEnd(tokens, i));
            var last = Math.Min(end, tokens.Count) - 1;
            while (last > i && tokens[last].Kind == TokenKind.EndOfFile)
            {
                last--;
            }

            statements.Add(text.Substring(tokens[i].Start, tokens[last].End - tokens[i].Start));
            i = end + 1;
        }

        return statements;
    }
}
