using System.Collections.Generic;
using System.Text;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// The names the server invents for unnamed objects, with its rules: <c>makeObjectName</c> joins
/// <c>table_columns_label</c> and shortens the longer part until the name fits 63 bytes;
/// <c>ChooseRelationName</c>/<c>ChooseConstraintName</c> append 1, 2, ... to the label while the name is taken.
/// </summary>
internal sealed class PostgresNames
{
    private const int MaxBytes = 63;

    /// <summary>The server's NAMEDATALEN - 1: longer identifiers are cut to this many bytes.</summary>
    public const int MaxIdentifierBytes = MaxBytes;

    private readonly HashSet<string> relations = new();
    private readonly HashSet<string> constraints = new();

    /// <summary>Marks a relation name (table, view, sequence, index) of a schema as taken.</summary>
    public void TakeRelation(string schema, string name) => relations.Add(schema + "." + name);

    public void TakeConstraint(string schema, string name) => constraints.Add(schema + "." + name);

    /// <summary>A relation name (serial sequence, index); constraint-backing indexes must also be free as constraint names.</summary>
    public string ChooseRelation(string schema, string name1, string? name2, string label, bool isConstraint)
    {
        for (var pass = 0; ; pass++)
        {
            var name = MakeObjectName(name1, name2, pass == 0 ? label : label + pass);
            if (!relations.Contains(schema + "." + name) && !(isConstraint && constraints.Contains(schema + "." + name)))
            {
                relations.Add(schema + "." + name);
                if (isConstraint)
                {
                    constraints.Add(schema + "." + name);
                }

                return name;
            }
        }
    }

    /// <summary>A constraint name (check, foreign key): unique among the constraints of the schema.</summary>
    public string ChooseConstraint(string schema, string name1, string? name2, string label)
    {
        for (var pass = 0; ; pass++)
        {
            var name = MakeObjectName(name1, name2, pass == 0 ? label : label + pass);
            if (constraints.Add(schema + "." + name))
            {
                return name;
            }
        }
    }

    /// <summary>Column names joined by '_' as the server builds the middle part (each piece capped, stopping once long enough).</summary>
    public static string JoinColumns(IEnumerable<string> columns)
    {
        var builder = new StringBuilder();
        foreach (var column in columns)
        {
            if (builder.Length > 0)
            {
                builder.Append('_');
            }

            builder.Append(Clip(column, MaxBytes));
            if (Encoding.UTF8.GetByteCount(builder.ToString()) >= MaxBytes + 1)
            {
                break;
            }
        }

        return builder.ToString();
    }

    public static string MakeObjectName(string name1, string? name2, string label)
    {
        var overhead = label.Length + 1 + (name2 is null ? 0 : 1);
        var available = MaxBytes - overhead;
        var name1Bytes = Encoding.UTF8.GetByteCount(name1);
        var name2Bytes = name2 is null ? 0 : Encoding.UTF8.GetByteCount(name2);
        while (name1Bytes + name2Bytes > available)
        {
            if (name1Bytes > name2Bytes)
            {
                name1Bytes--;
            }
            else
            {
                name2Bytes--;
            }
        }

        var result = Clip(name1, name1Bytes);
        if (name2 is not null)
        {
            result += "_" + Clip(name2, name2Bytes);
        }

        return result + "_" + label;
    }

    /// <summary>The longest prefix of at most <paramref name="bytes"/> UTF-8 bytes that does not split a character.</summary>
    public static string Clip(string text, int bytes)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) ? 4 : Utf8Width(text[i]);
            if (count + width > bytes)
            {
                return text.Substring(0, i);
            }

            count += width;
            if (char.IsHighSurrogate(text[i]))
            {
                i++;
            }
        }

        return text;
    }

    /// <summary>UTF-8 bytes of one UTF-16 unit that is not a high surrogate (a lone low surrogate encodes as U+FFFD, 3 bytes).</summary>
    private static int Utf8Width(char c) => c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
}
