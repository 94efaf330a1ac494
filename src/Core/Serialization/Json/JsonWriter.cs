using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace SchemaBuild.Core.Serialization.Json;

/// <summary>
/// A small deterministic JSON writer (two-space indentation, \n line ends, invariant numbers):
/// the same input always gives the same bytes, so plans diff cleanly and fingerprints are stable.
/// Core has no package dependencies, hence no System.Text.Json. Writes into its own character
/// buffer, flushed to a <see cref="TextWriter"/> as it fills, so a plan of hundreds of megabytes
/// streams to its file (or into a hash) without one string of it all.
/// </summary>
public sealed class JsonWriter
{
    private const int BufferChars = 16 * 1024;

    private readonly TextWriter output;
    private readonly StringBuilder? collected;
    private readonly char[] buffer = new char[BufferChars];
    private readonly bool indented;
    private int used;

    // One flag per open container: whether it has items yet (a comma goes before the next one).
    private bool[] hasItems = new bool[16];
    private int depth;
    private bool afterName;

    /// <summary>A writer that collects the document; <see cref="ToString"/> returns it.</summary>
    public JsonWriter(bool indented = true)
    {
        this.indented = indented;
        collected = new StringBuilder();
        output = new StringWriter(collected, CultureInfo.InvariantCulture);
    }

    /// <summary>A writer that streams the document to <paramref name="output"/>; call <see cref="Flush"/> at the end.</summary>
    public JsonWriter(TextWriter output, bool indented = true)
    {
        this.output = output ?? throw new ArgumentNullException(nameof(output));
        this.indented = indented;
    }

    public JsonWriter StartObject() => Open('{');

    public JsonWriter EndObject() => Close('}');

    public JsonWriter StartArray() => Open('[');

    public JsonWriter EndArray() => Close(']');

    public JsonWriter Name(string name)
    {
        Separate();
        WriteString(name);
        if (indented)
        {
            Append(':');
            Append(' ');
        }
        else
        {
            Append(':');
        }

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
        if (value >= 0 && value < 10)
        {
            Append((char)('0' + value));
        }
        else
        {
            AppendRaw(value.ToString(CultureInfo.InvariantCulture));
        }

        return this;
    }

    public JsonWriter Bool(bool value)
    {
        Separate();
        AppendRaw(value ? "true" : "false");
        return this;
    }

    public JsonWriter Null()
    {
        Separate();
        AppendRaw("null");
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
                AppendRaw(n.Text);
                return this;
            case JsonBool b:
                return Bool(b.Value);
            default:
                return Null();
        }
    }

    /// <summary>Hands the buffered characters to the output (and flushes it).</summary>
    public void Flush()
    {
        FlushBuffer();
        output.Flush();
    }

    /// <summary>The document so far, for a writer made without a <see cref="TextWriter"/>.</summary>
    public override string ToString()
    {
        if (collected is null)
        {
            throw new InvalidOperationException("this JsonWriter streams to a TextWriter; read the document there");
        }

        FlushBuffer();
        return collected.ToString();
    }

    private JsonWriter Open(char bracket)
    {
        Separate();
        Append(bracket);
        if (depth == hasItems.Length)
        {
            Array.Resize(ref hasItems, depth * 2);
        }

        hasItems[depth++] = false;
        return this;
    }

    private JsonWriter Close(char bracket)
    {
        if (depth == 0)
        {
            throw new InvalidOperationException("no open JSON object or array to close");
        }

        var any = hasItems[--depth];
        if (any && indented)
        {
            NewLine();
        }

        Append(bracket);
        return this;
    }

    private void Separate()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }

        if (depth == 0)
        {
            return;
        }

        if (hasItems[depth - 1])
        {
            Append(',');
        }
        else
        {
            hasItems[depth - 1] = true;
        }

        if (indented)
        {
            NewLine();
        }
    }

    private void NewLine()
    {
        Append('\n');
        for (var spaces = depth * 2; spaces > 0;)
        {
            if (used == buffer.Length)
            {
                FlushBuffer();
            }

            var chunk = Math.Min(spaces, buffer.Length - used);
            for (var i = 0; i < chunk; i++)
            {
                buffer[used++] = ' ';
            }

            spaces -= chunk;
        }
    }

    private void WriteString(string value)
    {
        Append('"');
        // Runs without characters to escape are copied whole; most names and SQL have none.
        var runStart = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029')
            {
                continue;
            }

            AppendRaw(value, runStart, i - runStart);
            runStart = i + 1;
            switch (c)
            {
                case '"':
                    AppendRaw("\\\"");
                    break;
                case '\\':
                    AppendRaw("\\\\");
                    break;
                case '\n':
                    AppendRaw("\\n");
                    break;
                case '\r':
                    AppendRaw("\\r");
                    break;
                case '\t':
                    AppendRaw("\\t");
                    break;
                default:
                    AppendRaw("\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
            }
        }

        AppendRaw(value, runStart, value.Length - runStart);
        Append('"');
    }

    private void Append(char c)
    {
        if (used == buffer.Length)
        {
            FlushBuffer();
        }

        buffer[used++] = c;
    }

    private void AppendRaw(string text) => AppendRaw(text, 0, text.Length);

    private void AppendRaw(string text, int start, int count)
    {
        while (count > 0)
        {
            if (used == buffer.Length)
            {
                FlushBuffer();
            }

            var chunk = Math.Min(count, buffer.Length - used);
            text.CopyTo(start, buffer, used, chunk);
            used += chunk;
            start += chunk;
            count -= chunk;
        }
    }

    private void FlushBuffer()
    {
        if (used > 0)
        {
            output.Write(buffer, 0, used);
            used = 0;
        }
    }
}
