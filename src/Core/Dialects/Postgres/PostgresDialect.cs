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
}
