using System.Collections.Generic;
using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects.Postgres;

/// <summary>
/// Built-in type names and their canonical spelling, which is how the server prints them
/// (<c>format_type</c>): <c>int4</c> and <c>int</c> are <c>integer</c>, <c>varchar</c> is
/// <c>character varying</c>, <c>timestamptz</c> is <c>timestamp with time zone</c>.
/// </summary>
internal static class PostgresTypes
{
    private static readonly Dictionary<string, string> Synonyms = new()
    {
        ["int"] = "integer", ["int4"] = "integer", ["integer"] = "integer",
        ["int8"] = "bigint", ["bigint"] = "bigint",
        ["int2"] = "smallint", ["smallint"] = "smallint",
        ["float8"] = "double precision", ["double precision"] = "double precision",
        ["float4"] = "real", ["real"] = "real",
        ["bool"] = "boolean", ["boolean"] = "boolean",
        ["varchar"] = "character varying", ["character varying"] = "character varying",
        ["char"] = "character", ["character"] = "character",
        ["decimal"] = "numeric", ["numeric"] = "numeric",
        ["timestamptz"] = "timestamp with time zone", ["timestamp with time zone"] = "timestamp with time zone",
        ["timestamp"] = "timestamp without time zone", ["timestamp without time zone"] = "timestamp without time zone",
        ["timetz"] = "time with time zone", ["time with time zone"] = "time with time zone",
        ["time"] = "time without time zone", ["time without time zone"] = "time without time zone",
        ["varbit"] = "bit varying", ["bit varying"] = "bit varying",
    };

    /// <summary>Built-in names that keep their spelling (no schema is added to them).</summary>
    private static readonly HashSet<string> Others = new()
    {
        "text", "bytea", "date", "interval", "uuid", "json", "jsonb", "xml", "money", "inet", "cidr", "macaddr", "macaddr8",
        "bit", "bpchar", "tsvector", "tsquery", "point", "line", "lseg", "box", "path", "polygon", "circle", "oid", "regclass",
        "regtype", "regproc", "name", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
        "int4multirange", "int8multirange", "nummultirange", "tsmultirange", "tstzmultirange", "datemultirange",
        "pg_lsn", "pg_snapshot", "txid_snapshot", "jsonpath", "record", "void", "\"char\"", "xid", "cid", "tid",
    };

    /// <summary>The serial pseudo-types and the integer type each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> Serials = new Dictionary<string, string>
    {
        ["serial"] = "integer", ["serial4"] = "integer",
        ["bigserial"] = "bigint", ["serial8"] = "bigint",
        ["smallserial"] = "smallint", ["serial2"] = "smallint",
    };

    public static bool IsBuiltIn(string name) => Synonyms.ContainsKey(name) || Others.Contains(name) || Serials.ContainsKey(name) || name == "float";

    /// <summary>
    /// The canonical spelling. User types get their schema (<paramref name="userTypeSchema"/> picks it
    /// for unqualified names); <c>pg_catalog</c> is dropped; arrays have one dimension because the server
    /// does not record more.
    /// </summary>
    public static DataType Canonical(DataType type, System.Func<string, string> userTypeSchema)
    {
        if (type.TypeSchema == "pg_catalog")
        {
            type = type with { TypeSchema = null };
        }

        if (type.ArrayDimensions > 1)
        {
            type = type with { ArrayDimensions = 1 };
        }

        if (type.TypeSchema is not null)
        {
            return type;
        }

        if (type.Name == "float")
        {
            // float(p): 1..24 bits of precision is real, more (or none) is double precision.
            return type with { Name = type.Precision is int p && p <= 24 ? "real" : "double precision", Precision = null };
        }

        if (type.Name == "bpchar" && type.Length is not null)
        {
            type = type with { Name = "character" };
        }

        if (Synonyms.TryGetValue(type.Name, out var canonical))
        {
            type = type with { Name = canonical };
            if (canonical == "character" && type.Length is null)
            {
                type = type with { Length = 1 };
            }

            if (canonical == "numeric" && type.Precision is not null && type.Scale is null)
            {
                type = type with { Scale = 0 };
            }

            return type;
        }

        if (type.Name == "bit" && type.Length is null)
        {
            return type with { Length = 1 };
        }

        return Others.Contains(type.Name) || Serials.ContainsKey(type.Name) ? type : type with { TypeSchema = userTypeSchema(type.Name) };
    }

    private static readonly HashSet<string> FixedLength = new()
    {
        "smallint", "integer", "bigint", "real", "double precision", "boolean", "date", "time without time zone", "time with time zone",
        "timestamp without time zone", "timestamp with time zone", "interval", "uuid", "money", "oid", "point", "macaddr", "macaddr8",
        "lseg", "box", "circle", "line", "pg_lsn", "\"char\"",
    };

    /// <summary>True for a canonical type stored in a fixed number of bytes (never TOASTed); enums are fixed too.</summary>
    public static bool IsFixedLength(DataType type) => type.ArrayDimensions == 0 && (FixedLength.Contains(type.Name) || type.TypeSchema is not null && !type.Name.Contains("citext") && type.Name != "hstore");

    /// <summary>A boolean constant as the server prints it (<c>'yes'</c> is <c>true</c>); null when it is not one.</summary>
    public static string? BooleanText(string value) => value.Trim().ToLowerInvariant() switch
    {
        "t" or "tr" or "tru" or "true" or "y" or "ye" or "yes" or "on" or "1" => "true",
        "f" or "fa" or "fal" or "fals" or "false" or "n" or "no" or "of" or "off" or "0" => "false",
        _ => null,
    };

    /// <summary>
    /// A floating-point constant as the server prints it: the shortest text that reads back to the same value
    /// (<c>100.0</c> is <c>100</c>, <c>1e20</c> is <c>1e+20</c>); null when it is not a finite number.
    /// </summary>
    public static string? FloatText(string value, bool singlePrecision)
    {
        const System.Globalization.NumberStyles Styles = System.Globalization.NumberStyles.Float;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        string text;
        if (singlePrecision)
        {
            if (!float.TryParse(value.Trim(), Styles, culture, out var single) || float.IsInfinity(single) || float.IsNaN(single))
            {
                return null;
            }

            text = single.ToString("R", culture);
        }
        else
        {
            if (!double.TryParse(value.Trim(), Styles, culture, out var number) || double.IsInfinity(number) || double.IsNaN(number))
            {
                return null;
            }

            text = number.ToString("R", culture);
        }

        return text.Replace("E", "e");
    }

    /// <summary>The range of an integer type, which is the default MINVALUE/MAXVALUE of its sequences.</summary>
    public static (long Min, long Max) IntegerRange(string? type) => type switch
    {
        "smallint" => (short.MinValue, short.MaxValue),
        "integer" => (int.MinValue, int.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    /// <summary>The type as the server prints it: <c>timestamp(3) with time zone</c>, <c>character varying(20)[]</c>.</summary>
    public static string Format(DataType type, System.Func<string, string> quote)
    {
        var builder = new StringBuilder(32);
        if (type.TypeSchema is not null)
        {
            builder.Append(quote(type.TypeSchema)).Append('.').Append(quote(type.Name));
        }
        else
        {
            var name = type.Name;
            var zone = name.EndsWith(" time zone", System.StringComparison.Ordinal) ? name.Substring(name.IndexOf(' ')) : null;
            builder.Append(zone is null ? name : name.Substring(0, name.IndexOf(' ')));
            if (type.Length is not null)
            {
                builder.Append('(').Append(type.Length).Append(')');
            }
            else if (type.Precision is not null && type.Qualifier is null)
            {
                builder.Append('(').Append(type.Precision);
                if (type.Scale is not null)
                {
                    builder.Append(',').Append(type.Scale);
                }

                builder.Append(')');
            }

            if (zone is not null)
            {
                builder.Append(zone);
            }

            if (type.Qualifier is not null)
            {
                builder.Append(' ').Append(type.Qualifier);
                if (type.Precision is not null)
                {
                    builder.Append('(').Append(type.Precision).Append(')');
                }
            }
        }

        for (var i = 0; i < type.ArrayDimensions; i++)
        {
            builder.Append("[]");
        }

        return builder.ToString();
    }
}
