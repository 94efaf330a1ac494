using System.Linq;
using System.Text;
using SchemaBuild.Core.Serialization.Json;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Serialization;

/// <summary>
/// <c>sha256:</c> of the canonical model JSON (no source locations, annotations or allowances):
/// equal models have equal fingerprints, so deploy can recognise the live database.
/// </summary>
public static class ModelFingerprint
{
    public static string Compute(Schema schema)
    {
        using var hashing = new Sha256TextWriter();
        var writer = new JsonWriter(hashing, indented: false);
        ModelSerializer.Write(writer, Comparable(schema), includeSource: false);
        writer.Flush();
        var hash = hashing.Hash();
        var builder = new StringBuilder("sha256:", 7 + 64);
        foreach (var b in hash)
        {
            builder.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Verbatim statements count by their kind, identity and canonical definition, as they compare
    /// equal; not by their text (the text as written
    /// and the server's definition of the same object spell it differently), and not by their order
    /// (files and the server list them differently).
    /// </summary>
    private static Schema Comparable(Schema schema) => schema.Verbatim.Count == 0
        ? schema
        : schema with { Verbatim = VerbatimOrder.Sorted(schema.Verbatim).Select(v => new VerbatimStatement(v.Kind, string.Empty) { Name = v.Name, Definition = v.Comparable }).ToEquatableList() };
}
