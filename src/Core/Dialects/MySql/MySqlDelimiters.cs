using System;
using System.Collections.Generic;
using System.Text;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// The <c>mariadb</c>/<c>mysql</c> client's <c>DELIMITER</c> command, as files loaded with the
/// client use it around routine and trigger bodies (<c>DELIMITER ;;</c> ... <c>END ;;</c>
/// <c>DELIMITER ;</c>). The client sends the text up to each custom delimiter as one statement;
/// here the DELIMITER lines become blanks and each custom delimiter a <c>;</c> padded with blanks,
/// so offsets, lines and the text of every statement stay as written, and
/// <see cref="StatementEnds"/> records where those statements end (their bodies keep their own ';').
/// </summary>
internal sealed class MySqlDelimiters
{
    private MySqlDelimiters(SourceFile file, HashSet<int> statementEnds, List<(int From, int To)> regions)
    {
        File = file;
        StatementEnds = statementEnds;
        Regions = regions;
    }

    /// <summary>The file as the lexer reads it.</summary>
    public SourceFile File { get; }

    /// <summary>Offsets of the ';' that replaced a custom delimiter: each ends one statement.</summary>
    public HashSet<int> StatementEnds { get; }

    /// <summary>The parts of the file under a custom delimiter (offsets, end exclusive).</summary>
    public List<(int From, int To)> Regions { get; }

    public bool InCustomRegion(int offset) => Regions.Exists(r => offset >= r.From && offset < r.To);

    public static MySqlDelimiters Apply(SourceFile file)
    {
        var text = file.Text;
        var ends = new HashSet<int>();
        var regions = new List<(int From, int To)>();
        if (text.IndexOf("delimiter", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return new MySqlDelimiters(file, ends, regions);
        }

        var output = new StringBuilder(text);
        var delimiter = ";";
        var regionStart = -1;
        var lineStart = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (lineStart && IsDelimiterCommand(text, i))
            {
                var lineEnd = text.IndexOf('\n', i);
                lineEnd = lineEnd < 0 ? text.Length : lineEnd;
                var argument = text.Substring(i + "delimiter".Length, lineEnd - i - "delimiter".Length).Trim();
                var space = argument.IndexOfAny(new[] { ' ', '\t', '\r' });
                var next = space < 0 ? argument : argument.Substring(0, space);
                for (var k = i; k < lineEnd; k++)
                {
                    output[k] = text[k] == '\r' ? '\r' : ' ';
                }

                if (next.Length > 0)
                {
                    if (delimiter != ";" && regionStart >= 0)
                    {
                        regions.Add((regionStart, i));
                        regionStart = -1;
                    }

                    delimiter = next;
                    if (delimiter != ";")
                    {
                        regionStart = lineEnd;
                    }
                }

                i = lineEnd;
                continue;
            }

            if (c is '\'' or '"' or '`')
            {
                i = SkipQuoted(text, i, c);
                lineStart = false;
                continue;
            }

            if (c == '#' || (c == '-' && At(text, i + 1) == '-' && (i + 2 >= text.Length || char.IsWhiteSpace(text[i + 2]))))
            {
                var lineEnd = text.IndexOf('\n', i);
                i = lineEnd < 0 ? text.Length : lineEnd;
                continue;
            }

            if (c == '/' && At(text, i + 1) == '*' && At(text, i + 2) != '!' && !(At(text, i + 2) == 'M' && At(text, i + 3) == '!'))
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 2;
                lineStart = false;
                continue;
            }

            if (delimiter != ";" && string.CompareOrdinal(text, i, delimiter, 0, delimiter.Length) == 0)
            {
                output[i] = ';';
                for (var k = 1; k < delimiter.Length; k++)
                {
                    output[i + k] = ' ';
                }

                ends.Add(i);
                i += delimiter.Length;
                lineStart = false;
                continue;
            }

            lineStart = c == '\n' || (lineStart && char.IsWhiteSpace(c));
            i++;
        }

        if (regionStart >= 0)
        {
            regions.Add((regionStart, text.Length));
        }

        return new MySqlDelimiters(new SourceFile(file.Path, output.ToString()), ends, regions);
    }

    private static char At(string text, int index) => index < text.Length ? text[index] : '\0';

    private static bool IsDelimiterCommand(string text, int i) =>
        string.Compare(text, i, "delimiter", 0, "delimiter".Length, StringComparison.OrdinalIgnoreCase) == 0
        && i + "delimiter".Length < text.Length && text[i + "delimiter".Length] is ' ' or '\t';

    /// <summary>Past the closing quote; backslash escapes and doubled quotes stay inside.</summary>
    private static int SkipQuoted(string text, int start, char quote)
    {
        var i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == '\\' && quote != '`')
            {
                i += 2;
                continue;
            }

            if (text[i] == quote)
            {
                if (At(text, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return text.Length;
    }
}
