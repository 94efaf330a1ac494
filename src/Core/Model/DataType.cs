namespace SchemaBuild.Core.Model;

/// <summary>
/// A column's type in the dialect's canonical spelling (lower case, e.g. <c>int</c>, <c>varchar</c>,
/// <c>character varying</c>, <c>timestamp with time zone</c>) with its modifiers.
/// </summary>
public sealed record DataType(string Name)
{
    /// <summary>Length of character, binary and bit types; display width is not kept (<c>INT(11)</c> is <c>int</c>).</summary>
    public int? Length { get; init; }

    /// <summary>Precision of numeric types, or fractional seconds of temporal types.</summary>
    public int? Precision { get; init; }

    public int? Scale { get; init; }

    public bool Unsigned { get; init; }

    public bool Zerofill { get; init; }

    /// <summary>MySQL ENUM/SET members, in declaration order (their ordinals are stored data).</summary>
    public EquatableList<string> Values { get; init; } = EquatableList<string>.Empty;

    /// <summary>PostgreSQL array dimensions (<c>int[]</c> is 1).</summary>
    public int ArrayDimensions { get; init; }

    /// <summary>Schema of a PostgreSQL user-defined type (enum, domain); null for built-in types.</summary>
    public string? TypeSchema { get; init; }

    /// <summary>Extra qualifier kept verbatim, e.g. PostgreSQL interval fields (<c>day to second</c>).</summary>
    public string? Qualifier { get; init; }

    public override string ToString()
    {
        var text = TypeSchema is null ? Name : TypeSchema + "." + Name;
        if (Values.Count > 0)
        {
            text += "(" + string.Join(",", Values) + ")";
        }
        else if (Length is not null)
        {
            text += "(" + Length + ")";
        }
        else if (Precision is not null)
        {
            text += Scale is null ? "(" + Precision + ")" : "(" + Precision + "," + Scale + ")";
        }

        if (Qualifier is not null)
        {
            text += " " + Qualifier;
        }

        if (Unsigned)
        {
            text += " unsigned";
        }

        if (Zerofill)
        {
            text += " zerofill";
        }

        for (var i = 0; i < ArrayDimensions; i++)
        {
            text += "[]";
        }

        return text;
    }
}
