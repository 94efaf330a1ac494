using System.Collections.Generic;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres.Expressions;

/// <summary>The <see cref="PostgresExpressionCanonicalizer"/> functions the normalizer calls, each text computed once per run.</summary>
internal sealed class PostgresExpressionMemo
{
    private readonly TextMemo<string> expression = new(PostgresExpressionCanonicalizer.Expression);
    private readonly TextMemo<ColumnDefault?> defaultValue = new(PostgresExpressionCanonicalizer.Default);
    private readonly TextMemo<IReadOnlyList<string>> columns = new(PostgresExpressionCanonicalizer.Columns);
    private readonly TextMemo<SqlNode?> parse = new(PostgresExpressionCanonicalizer.TryParseExpression);

    public string Expression(string text) => expression.Get(text);

    public ColumnDefault? Default(string text) => defaultValue.Get(text);

    public IReadOnlyList<string> Columns(string text) => columns.Get(text);

    /// <summary>The parsed expression, shared between callers: only to be read.</summary>
    public SqlNode? TryParseExpression(string text) => parse.Get(text);
}
