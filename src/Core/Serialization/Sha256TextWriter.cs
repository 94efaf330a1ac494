using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace SchemaBuild.Core.Serialization;

/// <summary>
/// A <see cref="TextWriter"/> that hashes the UTF-8 bytes of what is written, a block at a time:
/// the same digest as hashing the whole document's bytes, without the multi-megabyte string and
/// byte array a large model would take.
/// </summary>
internal sealed class Sha256TextWriter : TextWriter
{
    private const int BlockChars = 16 * 1024;

    private readonly SHA256 sha = SHA256.Create();
    private readonly Encoder encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
    private readonly byte[] bytes = new byte[Encoding.UTF8.GetMaxByteCount(BlockChars)];
    private byte[]? hash;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(new[] { value }, 0, 1);

    public override void Write(string? value)
    {
        if (value is not null)
        {
            Write(value.ToCharArray(), 0, value.Length);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        if (hash is not null)
        {
            throw new InvalidOperationException("the hash is already computed");
        }

        while (count > 0)
        {
            var chunk = Math.Min(count, BlockChars);
            var byteCount = encoder.GetBytes(buffer, index, chunk, bytes, 0, flush: false);
            sha.TransformBlock(bytes, 0, byteCount, null, 0);
            index += chunk;
            count -= chunk;
        }
    }

    /// <summary>The digest of everything written; writing ends here.</summary>
    public byte[] Hash()
    {
        if (hash is null)
        {
            var byteCount = encoder.GetBytes(Array.Empty<char>(), 0, 0, bytes, 0, flush: true);
            sha.TransformFinalBlock(bytes, 0, byteCount);
            hash = sha.Hash!;
        }

        return hash;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            sha.Dispose();
        }

        base.Dispose(disposing);
    }
}
