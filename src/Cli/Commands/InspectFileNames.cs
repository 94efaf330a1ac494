using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Cli.Commands;

/// <summary>
/// The file names <c>inspect --out</c> writes. The mapping is injective: lower-case letters, digits, '_' and '-' stay,
/// every other character (upper case too, for case-insensitive file systems; '.', '/', '%', spaces) becomes %XX per
/// UTF-8 byte, and '.' separates schema and name. So "a/b", "a b" and "a_b" get three files, and no name can leave the
/// folder ("..", "/") or take the name of the shared file or of a view's file.
/// </summary>
public static class InspectFileNames
{
    /// <summary>Types, sequences, schemas and extensions.</summary>
    public const string Shared = "00_schema.sql";

    public static string ForTable(QualifiedName name) => Encode(name, reservedPrefixes: true) + ".sql";

    // Views sort after the tables they read.
    public static string ForView(QualifiedName name) => "zz_" + Encode(name, reservedPrefixes: false) + ".view.sql";

    private static string Encode(QualifiedName name, bool reservedPrefixes)
    {
        var text = new StringBuilder();
        if (name.Schema is not null)
        {
            Append(text, name.Schema);
            text.Append('.');
        }

        Append(text, name.Name);
        var encoded = text.ToString();

        // A table file never starts like the shared file or a view's file: its first character is encoded instead.
        if (reservedPrefixes && (encoded.StartsWith("00_", System.StringComparison.Ordinal) || encoded.StartsWith("zz_", System.StringComparison.Ordinal)))
        {
            encoded = Escape(encoded[0]) + encoded.Substring(1);
        }

        return encoded;
    }

    private static void Append(StringBuilder text, string part)
    {
        foreach (var b in Encoding.UTF8.GetBytes(part))
        {
            var c = (char)b;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static string Escape(char c) => "%" + ((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
}
