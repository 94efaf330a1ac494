using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace SchemaBuild.Core.Serialization.Json;

/// <summary>
/// Parses JSON from a <see cref="TextReader"/> through a small buffer, so a large document is
/// never held as one string; errors name the line and column. <see cref="Parse(string)"/> builds the
/// whole tree; the member-by-member methods (<see cref="StartObject"/>, <see cref="NextMember"/>,
/// <see cref="ReadValue"/>, <see cref="StartArray"/>, <see cref="NextItem"/>) let a reader build one
/// part at a time and drop it before the next (plan.json's models and steps).
/// </summary>
public sealed class JsonParser
{
    private const int MaxDepth = 256;

    // Names and short values (column names, types, kinds) repeat throughout a model: one string each.
    private const int MaxSharedLength = 32;

    private readonly TextReader reader;
    private readonly char[] buffer = new char[64 * 1024];
    private readonly Dictionary<string, string> shared = new(StringComparer.Ordinal);
    private readonly StringBuilder builder = new();
    // One flag per object/array opened by StartObject/StartArray: true until its first element.
    private readonly Stack<bool> opened = new();
    private int length;
    private int position;
    private int line = 1;
    private int column = 1;

    private JsonParser(TextReader reader) => this.reader = reader;

    public static JsonNode Parse(string text) => Parse(new StringReader(text));

    public static JsonNode Parse(TextReader reader)
    {
        var parser = new JsonParser(reader);
        var value = parser.ReadValue();
        parser.End();
        return value;
    }

    /// <summary>A parser for reading a document part by part.</summary>
    public static JsonParser Open(TextReader reader) => new(reader);

    /// <summary>Reads the next value (and everything in it) as a tree.</summary>
    public JsonNode ReadValue()
    {
        SkipWhitespace();
        return ParseValue(0);
    }

    /// <summary>Expects <c>{</c>; then call <see cref="NextMember"/> until it returns false.</summary>
    public void StartObject()
    {
        SkipWhitespace();
        Consume('{', "expected a JSON object");
        opened.Push(true);
    }

    /// <summary>Moves to the next member of the object opened by <see cref="StartObject"/>; false at its end. Read or skip the value with <see cref="ReadValue"/> before the next call.</summary>
    public bool NextMember(out string name)
    {
        name = string.Empty;
        if (!NextElement('}'))
        {
            return false;
        }

        if (Peek() != '"')
        {
            throw Error("expected a property name in double quotes");
        }

        name = ParseString();
        SkipWhitespace();
        Consume(':', "expected ':'");
        return true;
    }

    /// <summary>Expects <c>[</c>; then call <see cref="NextItem"/> until it returns false.</summary>
    public void StartArray()
    {
        SkipWhitespace();
        Consume('[', "expected a JSON array");
        opened.Push(true);
    }

    /// <summary>Moves to the next item of the array opened by <see cref="StartArray"/>; false at its end.</summary>
    public bool NextItem() => NextElement(']');

    /// <summary>Only whitespace may follow the document.</summary>
    public void End()
    {
        SkipWhitespace();
        if (Peek() >= 0)
        {
            throw Error("unexpected text after the JSON value");
        }
    }

    private bool NextElement(char close)
    {
        SkipWhitespace();
        if (Peek() == close)
        {
            Read();
            opened.Pop();
            return false;
        }

        if (!opened.Pop())
        {
            Consume(',', $"expected ',' or '{close}'");
            SkipWhitespace();
        }

        opened.Push(false);
        return true;
    }

    private JsonNode ParseValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("JSON nested too deeply");
        }

        switch (Peek())
        {
            case -1:
                throw Error("unexpected end of JSON");
            case '{':
                return ParseObject(depth);
            case '[':
                return ParseArray(depth);
            case '"':
                return new JsonString(ParseString());
            case 't':
                Expect("true");
                return JsonBool.True;
            case 'f':
                Expect("false");
                return JsonBool.False;
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
        Read();
        SkipWhitespace();
        if (Peek() == '}')
        {
            Read();
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
            Consume(':', "expected ':'");
            SkipWhitespace();
            result.Properties.Add(new KeyValuePair<string, JsonNode>(name, ParseValue(depth + 1)));
            SkipWhitespace();
            if (Peek() == '}')
            {
                Read();
                return result;
            }

            Consume(',', "expected ',' or '}'");
        }
    }

    private JsonArray ParseArray(int depth)
    {
        var result = new JsonArray();
        Read();
        SkipWhitespace();
        if (Peek() == ']')
        {
            Read();
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            result.Items.Add(ParseValue(depth + 1));
            SkipWhitespace();
            if (Peek() == ']')
            {
                Read();
                return result;
            }

            Consume(',', "expected ',' or ']'");
        }
    }

    private string ParseString()
    {
        Read();
        builder.Clear();
        while (true)
        {
            var c = Read();
            if (c < 0)
            {
                throw Error("unterminated string");
            }

            if (c == '"')
            {
                return Share(builder);
            }

            if (c != '\\')
            {
                builder.Append((char)c);
                continue;
            }

            var escape = Read();
            switch (escape)
            {
                case -1: throw Error("unterminated string");
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'u':
                    var code = 0;
                    for (var i = 0; i < 4; i++)
                    {
                        var digit = HexValue(Read());
                        if (digit < 0)
                        {
                            throw Error("bad \\u escape");
                        }

                        code = (code * 16) + digit;
                    }

                    builder.Append((char)code);
                    break;
                default: builder.Append((char)escape); break;
            }
        }
    }

    private string Share(StringBuilder text)
    {
        if (text.Length > MaxSharedLength)
        {
            return text.ToString();
        }

        var value = text.ToString();
        if (shared.TryGetValue(value, out var existing))
        {
            return existing;
        }

        shared[value] = value;
        return value;
    }

    private static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private JsonNumber ParseNumber()
    {
        builder.Clear();
        while (Peek() is var c && c >= 0 && "+-0123456789.eE".IndexOf((char)c) >= 0)
        {
            builder.Append((char)Read());
        }

        if (builder.Length == 0)
        {
            throw Error($"unexpected character '{(char)Peek()}'");
        }

        return new JsonNumber(Share(builder));
    }

    private void Expect(string word)
    {
        foreach (var c in word)
        {
            if (Peek() != c)
            {
                throw Error($"expected {word}");
            }

            Read();
        }
    }

    private void Consume(char expected, string message)
    {
        if (Peek() != expected)
        {
            throw Error(message);
        }

        Read();
    }

    private int Peek()
    {
        if (position == length)
        {
            length = reader.Read(buffer, 0, buffer.Length);
            position = 0;
            if (length <= 0)
            {
                length = 0;
                return -1;
            }
        }

        return buffer[position];
    }

    private int Read()
    {
        var c = Peek();
        if (c < 0)
        {
            return c;
        }

        position++;
        if (c == '\n')
        {
            line++;
            column = 1;
        }
        else
        {
            column++;
        }

        return c;
    }

    private void SkipWhitespace()
    {
        while (Peek() is var c && c >= 0 && char.IsWhiteSpace((char)c))
        {
            Read();
        }
    }

    private FormatException Error(string message) => new($"{message} at line {line}, column {column}");
}
