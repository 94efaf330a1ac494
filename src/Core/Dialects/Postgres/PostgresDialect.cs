using System.Collections.Generic;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>PostgreSQL (15): parser, normalizer and DDL writer behind <see cref="ISqlDialect"/>.</summary>
public sealed class PostgresDialect : ISqlDialect
{
    private readonly PostgresParser parser = new();
    private readonly PostgresNormalizer normalizer = new();

    public DialectKind Kind => DialectKind.Postgres;

    public IDdlWriter Writer { get; } = new PostgresDdlWriter();

    public LexResult Lex(SourceFile file) => PostgresLexer.Lex(file);

    public ParseResult Parse(IReadOnlyList<SourceFile> files) => parser.Parse(files);

    public Schema Normalize(Schema schema) => normalizer.Normalize(schema);

    public IReadOnlyList<string> SplitStatements(string sql) => StatementSplitter.Split(PostgresLexer.Lex(new SourceFile("command", sql)), StatementEnd);

    /// <summary>The ';' that ends the statement at <paramref name="start"/>: SQL-standard bodies (<c>BEGIN ATOMIC ... END</c>) hold their own.</summary>
    internal static int StatementEnd(IReadOnlyList<Token> tokens, int start)
    {
        var depth = 0;
        var i = start;
        for (; i < tokens.Count - 1; i++)
        {
            var token = tokens[i];
            if (token.IsPunctuation(';') && depth == 0)
            {
                break;
            }

            if ((token.IsWord("begin") && tokens[i + 1].IsWord("atomic")) || (token.IsWord("case") && depth > 0))
            {
                depth++;
            }
            else if (token.IsWord("end") && depth > 0)
            {
                depth--;
            }
        }

        return i;
    }
}
