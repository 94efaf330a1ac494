using System.Text;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>Naming rules of what a PostgreSQL ghost copy creates.</summary>
internal static class PgGhostNames
{
    /// <summary>Every slot and publication of SchemaBuild starts with this, so leftovers can be found.</summary>
    public const string Prefix = "sb_ghost_";

    /// <summary>PostgreSQL keeps the first 63 bytes of a name: cut there, on a character boundary.</summary>
    public static string Truncate(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length <= 63)
        {
            return name;
        }

        var cut = 63;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return Encoding.UTF8.GetString(bytes, 0, cut);
    }
}
