using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SchemaBuild.Core.Artifacts.Json;
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
        var writer = new JsonWriter(indented: false);
        ModelSerializer.Write(writer, Comparable(schema), includeSource: false);
        var hash = Sha256OfUtf8(writer);
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

    /// <summary>
    /// The hash of the document's UTF-8 bytes, encoded and hashed a block at a time: the same
    /// digest as hashing the whole string's bytes, without the multi-megabyte string and byte array.
    /// </summary>
    private static byte[] Sha256OfUtf8(JsonWriter writer)
    {
        const int BlockChars = 16 * 1024;
        var chars = new char[BlockChars];
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(BlockChars)];
        var encoder = Encoding.UTF8.GetEncoder();
        using var sha = SHA256.Create();
        var length = writer.Length;
        for (var offset = 0; offset < length; offset += BlockChars)
        {
            var count = Math.Min(BlockChars, length - offset);
            writer.CopyTo(offset, chars, count);
            var byteCount = encoder.GetBytes(chars, 0, count, bytes, 0, flush: offset + count == length);
            sha.TransformBlock(bytes, 0, byteCount, null, 0);
        }

        sha.TransformFinalBlock(bytes, 0, 0);
        return sha.Hash!;
    }
}
