using System;
using System.Collections.Generic;

namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>Identifier quoting and the character-set facts of MariaDB 10.11 the normalizer needs.</summary>
internal static class MySqlNames
{
    /// <summary>The default collation of each character set (SHOW CHARACTER SET on MariaDB 10.11).</summary>
    private static readonly Dictionary<string, string> DefaultCollations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["utf8mb4"] = "utf8mb4_general_ci",
        ["utf8mb3"] = "utf8mb3_general_ci",
        ["latin1"] = "latin1_swedish_ci",
        ["latin2"] = "latin2_general_ci",
        ["ascii"] = "ascii_general_ci",
        ["binary"] = "binary",
        ["ucs2"] = "ucs2_general_ci",
        ["utf16"] = "utf16_general_ci",
        ["utf16le"] = "utf16le_general_ci",
        ["utf32"] = "utf32_general_ci",
        ["cp1250"] = "cp1250_general_ci",
        ["cp1251"] = "cp1251_general_ci",
        ["cp1256"] = "cp1256_general_ci",
        ["cp1257"] = "cp1257_general_ci",
        ["cp850"] = "cp850_general_ci",
        ["greek"] = "greek_general_ci",
        ["hebrew"] = "hebrew_general_ci",
        ["koi8r"] = "koi8r_general_ci",
        ["big5"] = "big5_chinese_ci",
        ["gbk"] = "gbk_chinese_ci",
        ["gb2312"] = "gb2312_chinese_ci",
        ["sjis"] = "sjis_japanese_ci",
        ["ujis"] = "ujis_japanese_ci",
        ["euckr"] = "euckr_korean_ci",
        ["tis620"] = "tis620_thai_ci",
    };

    /// <summary>Maximum bytes per character, for TEXT(n)/BLOB(n) sizing.</summary>
    public static int MaxBytesPerChar(string? charset) => charset?.ToLowerInvariant() switch
    {
        "utf8mb4" or "utf16" or "utf16le" or "utf32" => 4,
        "utf8mb3" or "ujis" => 3,
        "ucs2" or "big5" or "gbk" or "gb2312" or "sjis" or "euckr" => 2,
        _ => 1,
    };

    public static string Quote(string name) => "`" + name.Replace("`", "``") + "`";

    /// <summary><c>utf8</c> is <c>utf8mb3</c> in MariaDB 10.6 and later; names are lower case.</summary>
    public static string CanonicalCharset(string charset)
    {
        var lower = charset.ToLowerInvariant();
        return lower == "utf8" ? "utf8mb3" : lower;
    }

    public static string CanonicalCollation(string collation)
    {
        var lower = collation.ToLowerInvariant();
        return lower.StartsWith("utf8_", StringComparison.Ordinal) ? "utf8mb3_" + lower.Substring(5) : lower;
    }

    public static string DefaultCollation(string charset) =>
        DefaultCollations.TryGetValue(charset, out var collation) ? collation : charset.ToLowerInvariant() + "_general_ci";

    public static string CharsetOfCollation(string collation)
    {
        var underscore = collation.IndexOf('_');
        return underscore < 0 ? collation : collation.Substring(0, underscore);
    }
}
