using System.Text;

namespace SchemaBuild.MySqlReplication.Results;

/// <summary>Maps a collation id to the .NET encoding of its character set.</summary>
internal static class CharsetEncodings
{
    public const int Binary = 63;
    private static readonly Encoding Utf8 = new UTF8Encoding(false, false);
    private static readonly Encoding Utf16BigEndian = new UnicodeEncoding(bigEndian: true, byteOrderMark: false);
    private static readonly Encoding Utf32BigEndian = new UTF32Encoding(bigEndian: true, byteOrderMark: false);

    /// <summary>Encoding for a collation id; null for binary.</summary>
    public static Encoding? For(int collation) => collation switch
    {
        Binary => null,
        // latin1 (MySQL's latin1 is cp1252; ISO-8859-1 differs only in 0x80-0x9F)
        5 or 8 or 15 or 31 or 47 or 48 or 49 or 94 => Encoding.Latin1,
        11 or 65 => Encoding.ASCII,
        35 or 90 or (>= 128 and <= 159) or 54 or 55 or (>= 101 and <= 124) => Utf16BigEndian,
        56 or 62 => Encoding.Unicode,
        60 or 61 or (>= 160 and <= 183) => Utf32BigEndian,
        _ => Utf8,
    };
}
