using System.Security.Cryptography;
using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Artifacts;

/// <summary>
/// <c>sha256:</c> of the canonical model JSON (no source locations, annotations or allowances):
/// equal models have equal fingerprints, so deploy can recognise the live database.
/// </summary>
public static class ModelFingerprint
{
    public static string Compute(Schema schema)
    {
        var json = ModelSerializer.ToJson(schema, includeSource: false, indented: false);
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(json));
        var builder = new StringBuilder("sha256:", 7 + 64);
        foreach (var b in hash)
        {
            builder.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
