using System.Collections.Generic;
using System.Globalization;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary><c>PARTITION BY</c> after a CREATE TABLE's options: the scheme and its partitions.</summary>
internal sealed partial class MySqlParser
{
    /// <summary>Reads <c>PARTITION BY ... [SUBPARTITION BY ...] [(PARTITION ..., ...)]</c> at the current PARTITION.</summary>
    private Partitioning ParsePartitioning()
    {
        cursor.ExpectWords("partition", "by");
        var scheme = ParsePartitionScheme(allowRangeList: true);
        if (cursor.AcceptWord("partitions"))
        {
            scheme = scheme with { Count = ReadInt("a partition count") };
        }

        if (cursor.AcceptWords("subpartition", "by"))
        {
            var sub = ParsePartitionScheme(allowRangeList: false);
            if (cursor.AcceptWord("subpartitions"))
            {
                sub = sub with { Count = ReadInt("a subpartition count") };
            }

            scheme = scheme with { Subpartitioning = sub };
        }

        if (cursor.AcceptPunctuation('('))
        {
            var partitions = new List<Partition>();
            do
            {
                partitions.Add(ParsePartition(scheme));
            }
            while (cursor.AcceptPunctuation(','));
            cursor.ExpectPunctuation(')');
            scheme = scheme with { Partitions = partitions.ToEquatableList() };
        }

        return scheme;
    }

    private Partitioning ParsePartitionScheme(bool allowRangeList)
    {
        var linear = cursor.AcceptWord("linear");
        var methodToken = cursor.Current;
        PartitionMethod method;
        if (cursor.AcceptWord("hash"))
        {
            method = PartitionMethod.Hash;
        }
        else if (cursor.AcceptWord("key"))
        {
            method = PartitionMethod.Key;
        }
        else if (!linear && allowRangeList && cursor.AcceptWord("range"))
        {
            method = PartitionMethod.Range;
        }
        else if (!linear && allowRangeList && cursor.AcceptWord("list"))
        {
            method = PartitionMethod.List;
        }
        else
        {
            throw cursor.Error(allowRangeList ? "RANGE, LIST, HASH, KEY or LINEAR" : "HASH, KEY or LINEAR");
        }

        var scheme = new Partitioning(method) { Linear = linear };
        if (method == PartitionMethod.Key)
        {
            if (cursor.AcceptWord("algorithm"))
            {
                cursor.AcceptOperator("=");
                var algorithm = ReadInt("1 or 2");
                scheme = scheme with { KeyAlgorithm = algorithm == 2 ? null : algorithm };
            }

            return scheme with { KeyColumns = ReadColumnList(allowEmpty: true) };
        }

        if (method is PartitionMethod.Range or PartitionMethod.List && cursor.AcceptWord("columns"))
        {
            return scheme with { Columns = true, KeyColumns = ReadColumnList(allowEmpty: false) };
        }

        if (!cursor.IsPunctuation('('))
        {
            throw cursor.ErrorAt(cursor.Current, "expected '(' and the partitioning expression after " + methodToken.Text.ToUpperInvariant() + ", found " + cursor.Current.Describe());
        }

        return scheme with { Expression = ReadParenthesizedExpression() };
    }

    private EquatableList<string> ReadColumnList(bool allowEmpty)
    {
        cursor.ExpectPunctuation('(');
        var columns = new List<string>();
        if (allowEmpty && cursor.AcceptPunctuation(')'))
        {
            return EquatableList<string>.Empty;
        }

        do
        {
            columns.Add(cursor.ExpectIdentifier("a column name").Value);
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        return columns.ToEquatableList();
    }

    private Partition ParsePartition(Partitioning scheme)
    {
        var partitionToken = cursor.ExpectWord("partition");
        var partition = new Partition(cursor.ExpectIdentifier("a partition name").Value);
        if (cursor.AcceptWord("default"))
        {
            partition = partition with { IsDefault = true };
        }
        else if (cursor.AcceptWord("values"))
        {
            if (cursor.AcceptWords("less", "than"))
            {
                if (scheme.Method != PartitionMethod.Range)
                {
                    throw cursor.ErrorAt(partitionToken, "VALUES LESS THAN belongs to RANGE partitioning; this table is partitioned by " + scheme.Method.ToString().ToUpperInvariant());
                }

                partition = partition with { Values = cursor.AcceptWord("maxvalue") ? EquatableList<string>.Of("MAXVALUE") : ReadBoundValues(scheme) };
            }
            else
            {
                cursor.ExpectWord("in");
                if (scheme.Method != PartitionMethod.List)
                {
                    throw cursor.ErrorAt(partitionToken, "VALUES IN belongs to LIST partitioning; this table is partitioned by " + scheme.Method.ToString().ToUpperInvariant());
                }

                partition = partition with { Values = ReadBoundValues(scheme) };
            }
        }

        var options = new List<ObjectOption>();
        while (true)
        {
            cursor.AcceptWord("storage");
            if (cursor.AcceptWord("engine"))
            {
                // Every partition has the table's engine (the server refuses a mix).
                cursor.AcceptOperator("=");
                cursor.ExpectIdentifier("an engine name");
            }
            else if (cursor.AcceptWord("comment"))
            {
                cursor.AcceptOperator("=");
                partition = partition with { Comment = EmptyToNull(cursor.ExpectKind(TokenKind.String, "a comment string").Value) };
            }
            else if (cursor.Current.Kind == TokenKind.Word && !cursor.IsWord("partition") && !cursor.IsPunctuation('(') && cursor.Peek().Kind != TokenKind.Punctuation)
            {
                var name = cursor.Advance().Text.ToLowerInvariant();
                if (cursor.IsWord("directory"))
                {
                    name += " " + cursor.Advance().Text.ToLowerInvariant();
                }

                cursor.AcceptOperator("=");
                var value = cursor.Current;
                if (value.Kind is not (TokenKind.Word or TokenKind.Number or TokenKind.String or TokenKind.QuotedIdentifier))
                {
                    throw cursor.Error("a value for partition option " + name.ToUpperInvariant());
                }

                cursor.Advance();
                options.Add(new ObjectOption(name, value.Kind == TokenKind.String ? MySqlExpressionNode.Literal.String(value.Value).Text : value.Value.ToUpperInvariant()));
            }
            else
            {
                break;
            }
        }

        if (cursor.IsPunctuation('('))
        {
            throw cursor.ErrorAt(cursor.Current, "explicit SUBPARTITION definitions are not supported: write SUBPARTITIONS n after SUBPARTITION BY");
        }

        return partition with { Options = options.ToEquatableList() };
    }

    /// <summary>The values of <c>LESS THAN (...)</c> / <c>IN (...)</c>: canonical expressions; constants of integer schemes evaluated as the server stores them.</summary>
    private EquatableList<string> ReadBoundValues(Partitioning scheme)
    {
        cursor.ExpectPunctuation('(');
        var values = new List<string>();
        do
        {
            if (cursor.AcceptWord("maxvalue"))
            {
                values.Add("MAXVALUE");
                continue;
            }

            var start = cursor.Position;
            cursor.SkipBalanced(stopAtComma: true);
            if (cursor.Position == start)
            {
                throw cursor.Error("a partition bound value");
            }

            var text = MySqlExpressions.Canonical(cursor.Lex.Tokens, start, cursor.Position);
            values.Add(!scheme.Columns && MySqlPartitionBounds.TryEvaluate(cursor.Lex.Tokens, start, cursor.Position) is { } number
                ? number.ToString(CultureInfo.InvariantCulture)
                : text);
        }
        while (cursor.AcceptPunctuation(','));
        cursor.ExpectPunctuation(')');
        return values.ToEquatableList();
    }
}
