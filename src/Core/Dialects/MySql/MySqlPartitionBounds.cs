using System;
using System.Collections.Generic;
using System.Globalization;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// The server stores the bounds of RANGE/LIST partitioning over an expression as the integers
/// they evaluate to (<c>TO_DAYS('2000-01-01')</c> is shown as <c>730485</c>). This evaluates the
/// constant forms schemas use: integers, + - * DIV, parentheses, <c>TO_DAYS</c>, <c>YEAR</c>,
/// <c>MONTH</c>. Anything else is left to the canonical text (null).
/// </summary>
internal static class MySqlPartitionBounds
{
    /// <summary>Days from year 0 to 0001-01-01 as the server counts them (TO_DAYS('0001-01-01') = 366).</summary>
    private const long DaysBeforeYearOne = 366;

    public static long? TryEvaluate(IReadOnlyList<Token> tokens, int start, int end)
    {
        var position = start;
        try
        {
            var value = Sum(tokens, ref position, end);
            return position == end ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static long? Sum(IReadOnlyList<Token> tokens, ref int position, int end)
    {
        var value = Product(tokens, ref position, end);
        while (value is not null && position < end && (tokens[position].IsOperator("+") || tokens[position].IsOperator("-")))
        {
            var minus = tokens[position++].IsOperator("-");
            var right = Product(tokens, ref position, end);
            value = right is null ? null : checked(minus ? value - right : value + right);
        }

        return value;
    }

    private static long? Product(IReadOnlyList<Token> tokens, ref int position, int end)
    {
        var value = Unary(tokens, ref position, end);
        while (value is not null && position < end && (tokens[position].IsOperator("*") || tokens[position].IsWord("div")))
        {
            var multiply = tokens[position++].IsOperator("*");
            var right = Unary(tokens, ref position, end);
            value = right is null || (!multiply && right == 0) ? null : checked(multiply ? value * right : value / right);
        }

        return value;
    }

    private static long? Unary(IReadOnlyList<Token> tokens, ref int position, int end)
    {
        if (position >= end)
        {
            return null;
        }

        var token = tokens[position];
        if (token.IsOperator("-"))
        {
            position++;
            var operand = Unary(tokens, ref position, end);
            return operand is null ? null : checked(-operand);
        }

        if (token.Kind == TokenKind.Number)
        {
            position++;
            return long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        }

        if (token.IsPunctuation('('))
        {
            position++;
            var inner = Sum(tokens, ref position, end);
            return position < end && tokens[position++].IsPunctuation(')') ? inner : null;
        }

        if (token.Kind == TokenKind.Word && position + 3 < end && tokens[position + 1].IsPunctuation('(')
            && tokens[position + 2].Kind == TokenKind.String && tokens[position + 3].IsPunctuation(')'))
        {
            var date = ParseDate(tokens[position + 2].Value);
            long? result = date is not { } d ? null : token.Text.ToLowerInvariant() switch
            {
                "to_days" => (long)(d - DateTime.MinValue).TotalDays + DaysBeforeYearOne,
                "year" => d.Year,
                "month" => d.Month,
                _ => null,
            };
            position += 4;
            return result;
        }

        return null;
    }

    private static DateTime? ParseDate(string text)
    {
        var date = text.Length >= 10 ? text.Substring(0, 10) : text;
        return DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
    }
}
