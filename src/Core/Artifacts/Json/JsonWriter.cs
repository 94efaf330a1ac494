using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SchemaBuild.Core.Artifacts.Json;

/// <summary>
/// A small deterministic JSON writer (two-space indentation, \n line ends, invariant numbers):
/// the same input always gives the same bytes, so plans diff cleanly and fingerprints are stable.
/// Core has no package dependencies, hence no System.Text.Json.
/// </summary>
public sealed class JsonWriter
{
    private readonly StringBuilder text = new();
    private readonly Stack<bool> hasItems = new();
    private readonly bool indented;
    private bool afterName;

    public JsonWriter(bool indented = true) => this.indented = indented;

    public JsonWriter StartObject() => Open('{');

    public JsonWriter EndObject() => Close('}');

    public JsonWriter StartArray() => Open('[');

    public JsonWriter EndArray() => Close(']');

    public JsonWriter Name(string name)
    {
        Separate();
        WriteString(name);
        text.Append(indented ? ": " : ":");
        afterName = true;
        return this;
    }

    public JsonWriter String(string? value)
    {
        if (value is null)
        {
            return Null();
        }

        Separate();
        WriteString(value);
        return this;
    }

    public JsonWriter Number(long value)
    {
        Separate();
        text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public JsonWriter Bool(bool value)
    {
        Separate();
        text.Append(value ? "true" : "false");
        return this;
    }

    public JsonWriter Null()
    {
        Separate();
        text.Append("null");
        return this;
    }

    /// <summary>Writes a parsed value back out (used to copy documents).</summary>
    public JsonWriter Value(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                StartObject();
                foreach (var pair in obj.Properties)
                {
                    Name(pair.Key).Value(pair.Value);
                }

                return EndObject();
            case JsonArray array:
                StartArray();
                foreach (var item in array.Items)
                {
                    Value(item);
                }

                return EndArray();
            case JsonString s:
                return String(s.Value);
            case JsonNumber n:
                Separate();
                text.Append(n.Text);
                return this;
            case JsonBool b:
                return Bool(b.Value);
            default:
                return Null();
        }
    }

    public override string ToString() => text.ToString();

    /// <summary>Characters written so far; with <see cref="CopyTo"/>, reads a large document without one string of it all.</summary>
    internal int Length => text.Length;

    internal void CopyTo(int sourceIndex, char[] destination, int count) => text.CopyTo(sourceIndex, destination, 0, count);

    private JsonWriter Open(char bracket)
    {
        Separate();
        text.Append(bracket);
        hasItems.Push(false);
        return this;
    }

    private JsonWriter Close(char bracket)
    {
        var any = hasItems.Pop();
        if (any && indented)
        {
            NewLine();
        }

        text.Append(bracket);
        return this;
    }

    private void Separate()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }

        if (hasItems.Count == 0)
        {
            return;
        }

        if (hasItems.Peek())
        {
            text.Append(',');
        }
        else
        {
            hasItems.Pop();
            hasItems.Push(true);
        }

        if (indented)
        {
            NewLine();
        }
    }

    private void NewLine()
    {
        text.Append('\n');
        text.Append(' ', hasItems.Count * 2);
    }

    private void WriteString(string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
