using System.Collections.Generic;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Declarative partitioning and inheritance: <c>PARTITION BY RANGE|LIST|HASH (key)</c>,
/// <c>CREATE TABLE ... PARTITION OF parent FOR VALUES ... | DEFAULT</c>, pg_dump's
/// <c>ALTER TABLE parent ATTACH PARTITION child FOR VALUES ...</c> (folded into the child), and <c>INHERITS</c>.
/// Bounds are kept in the server's spelling (<c>FOR VALUES FROM ('a') TO ('b')</c>, casts dropped).
/// </summary>
internal sealed partial class PostgresStatementParser
{
    private Partitioning PartitionBy()
    {
        var method = cursor.ExpectIdentifier("RANGE, LIST or HASH").Text.ToLowerInvariant() switch
        {
            "range" => PartitionMethod.Range,
            "list" => PartitionMethod.List,
            "hash" => PartitionMethod.Hash,
            _ => throw cursor.ErrorAt(cursor.Previous, "expected RANGE, LIST or HASH"),
        };
        cursor.ExpectPunctuation('(');
        var parts = new List<IndexKeyPart>();
        do
        {
            parts.Add(IndexElement());
        }
        while (cursor.AcceptPunctuation(','));

        cursor.ExpectPunctuation(')');
        return new Partitioning(method) { KeyParts = parts.ToEquatableList() };
    }

    private List<QualifiedName> InheritsList()
    {
        cursor.ExpectPunctuation('(');
        var parents = new List<QualifiedName>();
        do
        {
            parents.Add(Name("a parent table name"));
        }
        while (cursor.AcceptPunctuation(','));

        cursor.ExpectPunctuation(')');
        return parents;
    }

    /// <summary><c>FOR VALUES ...</c> or <c>DEFAULT</c>, in the spelling pg_get_expr(relpartbound) gives.</summary>
    private string PartitionBound()
    {
        if (cursor.AcceptWord("default"))
        {
            return "DEFAULT";
        }

        cursor.ExpectWords("for", "values");
        var text = new StringBuilder("FOR VALUES");
        if (cursor.AcceptWord("in"))
        {
            text.Append(" IN ").Append(BoundValues());
        }
        else if (cursor.AcceptWord("from"))
        {
            text.Append(" FROM ").Append(BoundValues());
            cursor.ExpectWord("to");
            text.Append(" TO ").Append(BoundValues());
        }
        else
        {
            cursor.ExpectWord("with");
            cursor.ExpectPunctuation('(');
            cursor.ExpectWord("modulus");
            var modulus = PostgresSyntax.ExpectLong(cursor);
            cursor.ExpectPunctuation(',');
            cursor.ExpectWord("remainder");
            var remainder = PostgresSyntax.ExpectLong(cursor);
            cursor.ExpectPunctuation(')');
            text.Append(" WITH (modulus ").Append(modulus).Append(", remainder ").Append(remainder).Append(')');
        }

        return text.ToString();
    }

    /// <summary>A parenthesized list of bound values: literals (casts dropped, as the server prints them), MINVALUE, MAXVALUE.</summary>
    private string BoundValues()
    {
        cursor.ExpectPunctuation('(');
        var values = new List<string>();
        do
        {
            var value = new StringBuilder();
            while (!cursor.AtEnd && !cursor.IsPunctuation(',') && !cursor.IsPunctuation(')'))
            {
                var token = cursor.Advance();
                if (token.Kind == TokenKind.Operator && token.Text == "::")
                {
                    // The cast's type name, modifiers included.
                    while (!cursor.AtEnd && !cursor.IsPunctuation(',') && !cursor.IsPunctuation(')'))
                    {
                        if (cursor.AcceptPunctuation('('))
                        {
                            cursor.SkipBalanced(stopAtComma: false);
                            cursor.ExpectPunctuation(')');
                            continue;
                        }

                        cursor.Advance();
                    }

                    continue;
                }

                value.Append(token.Kind switch
                {
                    TokenKind.String => PostgresQuoting.Literal(token.Value),
                    TokenKind.Word when token.IsWord("minvalue") || token.IsWord("maxvalue") => token.Text.ToUpperInvariant(),
                    TokenKind.Word when token.IsWord("true") || token.IsWord("false") || token.IsWord("null") => token.Text.ToLowerInvariant(),
                    TokenKind.Word when cursor.Current.Kind == TokenKind.String => string.Empty, // a typed literal: DATE '2020-01-01'
                    _ => token.Text,
                });
            }

            if (value.Length == 0)
            {
                throw cursor.Error("a partition bound value");
            }

            values.Add(value.ToString());
        }
        while (cursor.AcceptPunctuation(','));

        cursor.ExpectPunctuation(')');
        return "(" + string.Join(", ", values) + ")";
    }

    /// <summary>pg_dump's ALTER TABLE [ONLY] parent ATTACH PARTITION child FOR VALUES ...: the child becomes a partition.</summary>
    private void AttachPartition(QualifiedName parent)
    {
        var childToken = cursor.Current;
        var child = Name("a partition name");
        var bound = PartitionBound();
        if (model.FindTable(child) is { } table)
        {
            model.ReplaceTable(table, table with { PartitionOf = parent, PartitionBound = bound });
        }
        else if (!model.IsBroken(child))
        {
            Unresolved(childToken, $"table {child} is not defined (yet); ATTACH PARTITION must follow its CREATE TABLE", child.ToString());
        }
    }
}
