using System;
using System.IO;
using System.IO.Compression;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// MariaDB's compressed binlog events (log_bin_compress): one header byte
/// (0x80 | bytes-of-length), the uncompressed length big-endian, then a zlib stream.
/// </summary>
internal static class MariaDbCompression
{
    public static byte[] Inflate(ReadOnlySpan<byte> data)
    {
        if (data.Length < 1) throw MySqlProtocolException.Truncated();
        int lengthBytes = data[0] & 0x07;
        if (lengthBytes is 0 or > 4 || data.Length < 1 + lengthBytes) throw new MySqlProtocolException("Invalid compressed event header.");
        long length = 0;
        for (int i = 1; i <= lengthBytes; i++) length = (length << 8) | data[i];
        if (length > 1L << 30) throw new MySqlProtocolException("Compressed event is too large.");
        var output = new byte[length];
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(data.Slice(1 + lengthBytes).ToArray()), CompressionMode.Decompress);
            int total = 0;
            while (total < output.Length)
            {
                int n = zlib.Read(output, total, output.Length - total);
                if (n == 0) break;
                total += n;
            }
            if (total != output.Length) throw new MySqlProtocolException("Compressed event is shorter than announced.");
        }
        catch (InvalidDataException e)
        {
            throw new MySqlProtocolException("Compressed event is not valid zlib data.", innerException: e);
        }
        return output;
    }
}
