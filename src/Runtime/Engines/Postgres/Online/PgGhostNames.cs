using System;
using System.Security.Cryptography;
using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Engines.Postgres.Online;

/// <summary>
/// The names of everything a ghost copy creates, derived from the deployment id alone, so a
/// resumed deploy and <c>dotnet schema cancel</c> find exactly what a killed process left.
/// </summary>
internal sealed class PgGhostNames
{
    /// <summary>Every slot and publication of SchemaBuild starts with this, so status can list leftovers.</summary>
    public const string Prefix = "sb_ghost_";

    private PgGhostNames(string token, string schema)
    {
        Token = token;
        Schema = schema;
    }

    /// <summary>A short hash of the deployment id: unique per deployment, valid in every identifier.</summary>
    public string Token { get; }

    private string Schema { get; }

    public string Slot => Prefix + Token;

    public string Publication => Prefix + Token;

    /// <summary>The changelog: marker rows (read back from the stream to prove it is applied up to here) and copy checkpoints.</summary>
    public QualifiedName Changelog => new(Schema, $"_sb_ghost_{Token}_log");

    public static PgGhostNames For(string deploymentId, string schema)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(deploymentId));
        return new PgGhostNames(Convert.ToHexString(hash, 0, 6).ToLowerInvariant(), schema);
    }

    public QualifiedName Shadow(QualifiedName original) => original with { Name = Truncate($"_sb_{Token}_{original.Name}") };

    /// <summary>PostgreSQL keeps the first 63 bytes of a name.</summary>
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
