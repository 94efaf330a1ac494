using System;
using System.Globalization;
using System.Text;

namespace SchemaBuild.Core.Artifacts.Json;

/// <summary>Parses JSON text; errors name the line and column.</summary>
public sealed class JsonParser
{
    private const int MaxDepth = 256;
    private readonly string text;
    private int position;

    private JsonParser(string text) => this.text = text;

    public static JsonNode Parse(string text)
    {
        var parser = new JsonParser(text);
        parser.SkipWhitespace();
        var value = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (parser.position != text.Length)
        {
            throw parser.Error("unexpected text after the JSON value");
        }

        return value;
    }

    private JsonNode ParseValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("JSON nested too deeply");
        }

        if (position >= text.Length)
        {
            throw Error("unexpected end of JSON");
        }

        switch (text[position])
        {
            case '{':
                return ParseObject(depth);
            case '[':
                return ParseArray(depth);
            case '"':
                return new JsonString(ParseString());
            case 't':
                Expect("true");
                return new JsonBool(true);
            case 'f':
                Expect("false");
                return new JsonBool(false);
            case 'n':
                Expect("null");
                return JsonNull.Instance;
            default:
                return ParseNumber();
        }
    }

    private JsonObject ParseObject(int depth)
    {
        var result = new JsonObject();
        position++;
        SkipWhitespace();
        if (Peek() == '}')
        {
            position++;
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Error("expected a property name in double quotes");
            }

            var name = ParseString();
            SkipWhitespace();
            if (Peek() != ':')
            {
                throw Error("expected ':'");
            }

            position++;
            SkipWhitespace();
            result.Properties.Add(new System.Collections.Generic.KeyValuePair<string, JsonNode>(name, ParseValue(depth + 1)));
            SkipWhitespace();
            var c = Peek();
            position++;
            if (c == '}')
            {
                return result;
            }

            if (c != ',')
            {
                position--;
                throw Error("expected ',' or '}'");
            }
        }
    }

    private JsonArray ParseArray(int depth)
    {
        var result = new JsonArray();
        position++;
        SkipWhitespace();
        if (Peek() == ']')
        {
            position++;
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            result.Items.Add(ParseValue(depth + 1));
            SkipWhitespace();
            var c = Peek();
            position++;
            if (c == ']')
            {
                return result;
            }

            if (c != ',')
            {
                position--;
                throw Error("expected ',' or ']'");
            }
        }
    }

    private string ParseString()
    {
        position++;
        var builder = new StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (position >= text.Length)
            {
                break;
            }

            var escape = text[position++];
            switch (escape)
            {
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'u':
                    if (position + 4 > text.Length || !int.TryParse(text.Substring(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("bad \\u escape");
                    }

                    builder.Append((char)code);
                    position += 4;
                    break;
                default: builder.Append(escape); break;
            }
        }

        throw Error("unterminated string");
    }

    private JsonNumber ParseNumber()
    {
        var start = position;
        while (position < text.Length && "+-0123456789.eE".IndexOf(text[position]) >= 0)
        {
            position++;
        }

        if (start == position)
        {
            throw Error($"unexpected character '{text[position]}'");
        }

        return new JsonNumber(text.Substring(start, position - start));
    }

    private void Expect(string word)
    {
        if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0)
        {
            throw Error($"expected {word}");
        }

        position += word.Length;
    }

    private char Peek() => position < text.Length ? text[position] : '\0';

    private void SkipWhitespace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private FormatException Error(string message)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < position && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return new FormatException($"{message} at line {line}, column {column}");
    }
}
