using System;
using System.Collections.Generic;
using System.Linq;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Rules;

/// <summary>
/// Classifies a type change as widening, lossy or a conversion, from type families and their
/// ranges. Canonical type names of both dialects are distinct enough to share one table.
/// </summary>
public static class TypeChangeClassifier
{
    private enum Family
    {
        Other,
        Integer,
        Decimal,
        Float,
        String,
        Binary,
        Date,
        DateTime,
        Time,
        Bit,
        Enum,
        Set,
        Json,
        Boolean,
    }

    // Integer types: byte width. MySQL spellings and PostgreSQL spellings.
    private static readonly Dictionary<string, int> IntegerBytes = new(StringComparer.Ordinal)
    {
        ["tinyint"] = 1, ["smallint"] = 2, ["mediumint"] = 3, ["int"] = 4, ["integer"] = 4, ["bigint"] = 8,
    };

    // Unbounded or fixed-capacity text/blob types: maximum length in characters/bytes.
    private static readonly Dictionary<string, long> LongTextCapacity = new(StringComparer.Ordinal)
    {
        ["tinytext"] = 255, ["text"] = 65_535, ["mediumtext"] = 16_777_215, ["longtext"] = 4_294_967_295,
        ["tinyblob"] = 255, ["blob"] = 65_535, ["mediumblob"] = 16_777_215, ["longblob"] = 4_294_967_295,
        ["bytea"] = long.MaxValue,
    };

    public static TypeChangeKind Classify(DataType from, DataType to, DialectKind dialect)
    {
        if (from.Equals(to))
        {
            return TypeChangeKind.None;
        }

        if (from.ArrayDimensions != to.ArrayDimensions)
        {
            return TypeChangeKind.Conversion;
        }

        var a = FamilyOf(from, dialect);
        var b = FamilyOf(to, dialect);
        if (a != b)
        {
            return CrossFamily(from, a, to, b);
        }

        return a switch
        {
            Family.Integer => IntegerRangeContains(to, from) ? TypeChangeKind.Widening : TypeChangeKind.Lossy,
            Family.Decimal => Widens(DecimalDigits(to), DecimalDigits(from)) && (to.Scale ?? 0) >= (from.Scale ?? 0) ? TypeChangeKind.Widening : TypeChangeKind.Lossy,
            Family.Float => FloatBytes(to) >= FloatBytes(from) ? TypeChangeKind.Widening : TypeChangeKind.Lossy,
            Family.String or Family.Binary => Capacity(to) >= Capacity(from) ? TypeChangeKind.Widening : TypeChangeKind.Lossy,
            Family.DateTime or Family.Time => SameTimeZoneKind(from, to)
                ? ((to.Precision ?? DefaultFraction(dialect)) >= (from.Precision ?? DefaultFraction(dialect)) ? TypeChangeKind.Widening : TypeChangeKind.Lossy)
                : TypeChangeKind.Conversion,
            Family.Bit => (to.Length ?? 1) >= (from.Length ?? 1) ? TypeChangeKind.Widening : TypeChangeKind.Lossy,
            Family.Enum or Family.Set => MembersKept(from.Values, to.Values) ? TypeChangeKind.Widening : TypeChangeKind.Lossy,
            _ => from.Name == to.Name && from.TypeSchema == to.TypeSchema ? TypeChangeKind.Widening : TypeChangeKind.Conversion,
        };
    }

    /// <summary>Members of <paramref name="from"/> missing from <paramref name="to"/> (SB1005).</summary>
    public static IReadOnlyList<string> RemovedMembers(IEnumerable<string> from, IEnumerable<string> to) =>
        from.Except(to, StringComparer.Ordinal).ToList();

    /// <summary>True when the surviving members keep their ordinals: new ones only appended (else SB5006).</summary>
    public static bool OrdinalsKept(IReadOnlyList<string> from, IReadOnlyList<string> to)
    {
        var kept = from.Where(to.Contains).ToList();
        for (var i = 0; i < kept.Count; i++)
        {
            if (i >= to.Count || to[i] != kept[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool MembersKept(IReadOnlyList<string> from, IReadOnlyList<string> to) => RemovedMembers(from, to).Count == 0;

    private static TypeChangeKind CrossFamily(DataType from, Family a, DataType to, Family b)
    {
        // Exact numbers into wider numbers, and dates into datetimes, keep every value.
        if (a == Family.Integer && b == Family.Decimal)
        {
            return Widens(DecimalDigits(to), IntegerDigits(from)) ? TypeChangeKind.Widening : TypeChangeKind.Lossy;
        }

        if ((a == Family.Integer && b == Family.Float) || (a == Family.Decimal && b == Family.Float))
        {
            return TypeChangeKind.Lossy;
        }

        if (a == Family.Boolean && b == Family.Integer)
        {
            return TypeChangeKind.Widening;
        }

        if (a == Family.Date && b == Family.DateTime)
        {
            return TypeChangeKind.Widening;
        }

        if (a == Family.DateTime && b == Family.Date)
        {
            return TypeChangeKind.Lossy;
        }

        if ((a == Family.Enum || a == Family.Set) && b == Family.String)
        {
            var longest = from.Values.Count == 0 ? 0 : from.Values.Max(v => v.Length);
            return Capacity(to) >= longest ? TypeChangeKind.Widening : TypeChangeKind.Lossy;
        }

        if (b == Family.String && (a is Family.Integer or Family.Decimal))
        {
            var digits = a == Family.Integer ? IntegerDigits(from) + 1 : (DecimalDigits(from) ?? 1000) + 2;
            return Capacity(to) >= digits ? TypeChangeKind.Widening : TypeChangeKind.Lossy;
        }

        return TypeChangeKind.Conversion;
    }

    private static Family FamilyOf(DataType type, DialectKind dialect)
    {
        var name = type.Name;
        if (dialect != DialectKind.Postgres && name == "tinyint" && type.Length == 1)
        {
            return Family.Integer;
        }

        if (IntegerBytes.ContainsKey(name))
        {
            return Family.Integer;
        }

        switch (name)
        {
            case "decimal":
            case "numeric":
                return Family.Decimal;
            case "float":
            case "double":
            case "real":
            case "double precision":
                return Family.Float;
            case "char":
            case "varchar":
            case "character":
            case "character varying":
            case "tinytext":
            case "text":
            case "mediumtext":
            case "longtext":
            case "citext":
                return Family.String;
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
            case "bytea":
                return Family.Binary;
            case "date":
                return Family.Date;
            case "datetime":
            case "timestamp":
            case "timestamp without time zone":
            case "timestamp with time zone":
                return Family.DateTime;
            case "time":
            case "time without time zone":
            case "time with time zone":
                return Family.Time;
            case "bit":
            case "bit varying":
                return Family.Bit;
            case "enum":
                return Family.Enum;
            case "set":
                return Family.Set;
            case "json":
            case "jsonb":
                return Family.Json;
            case "boolean":
                return Family.Boolean;
            default:
                return Family.Other;
        }
    }

    private static bool IntegerRangeContains(DataType outer, DataType inner)
    {
        var (outerMin, outerMax) = IntegerRange(outer);
        var (innerMin, innerMax) = IntegerRange(inner);
        return outerMin <= innerMin && outerMax >= innerMax;
    }

    private static (decimal Min, decimal Max) IntegerRange(DataType type)
    {
        var bits = IntegerBytes[type.Name] * 8;
        var span = (decimal)Math.Pow(2, bits);
        return type.Unsigned ? (0m, span - 1) : (-span / 2, (span / 2) - 1);
    }

    private static int IntegerDigits(DataType type)
    {
        var (min, max) = IntegerRange(type);
        return Math.Max(max.ToString(System.Globalization.CultureInfo.InvariantCulture).Length, min.ToString(System.Globalization.CultureInfo.InvariantCulture).TrimStart('-').Length);
    }

    /// <summary>Digits before the decimal point; null when unbounded (PostgreSQL numeric without precision).</summary>
    private static int? DecimalDigits(DataType type) => type.Precision is { } precision ? precision - (type.Scale ?? 0) : null;

    private static bool Widens(int? outer, int? inner) => outer is null || (inner is not null && outer >= inner);

    private static int FloatBytes(DataType type) => type.Name is "float" or "real" && (type.Precision ?? 0) <= 24 ? 4 : 8;

    private static long Capacity(DataType type)
    {
        if (LongTextCapacity.TryGetValue(type.Name, out var capacity))
        {
            return capacity;
        }

        if (type.Name is "text" or "citext" || (type.Name == "character varying" && type.Length is null))
        {
            return long.MaxValue;
        }

        return type.Length ?? 1;
    }

    private static bool SameTimeZoneKind(DataType from, DataType to) =>
        from.Name.EndsWith("with time zone", StringComparison.Ordinal) == to.Name.EndsWith("with time zone", StringComparison.Ordinal)
        && (from.Name == "timestamp") == (to.Name == "timestamp");

    private static int DefaultFraction(DialectKind dialect) => dialect == DialectKind.Postgres ? 6 : 0;
}
