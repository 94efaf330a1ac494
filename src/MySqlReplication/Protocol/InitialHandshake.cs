using System;

namespace SchemaBuild.MySqlReplication.Protocol;

/// <summary>The server's Handshake v10 packet.</summary>
internal sealed record InitialHandshake(
    string ServerVersion,
    uint ConnectionId,
    CapabilityFlags Capabilities,
    byte[] Nonce,
    string AuthPlugin)
{
    public static InitialHandshake Parse(ReadOnlySpan<byte> payload)
    {
        var r = new PacketReader(payload);
        byte protocol = r.ReadByte();
        if (protocol == 0xFF) throw ServerSession.ParseError(payload);
        if (protocol != 10) throw new MySqlProtocolException($"Unsupported handshake protocol version {protocol}.");
        string version = r.ReadNullTerminatedString();
        uint connectionId = r.ReadUInt32();
        byte[] nonce1 = r.ReadBytes(8).ToArray();
        r.Skip(1);
        uint caps = r.ReadUInt16();
        byte[] nonce2 = Array.Empty<byte>();
        string plugin = Auth.NativePassword.PluginName;
        if (!r.AtEnd)
        {
            r.Skip(1); // default collation
            r.Skip(2); // status flags
            caps |= (uint)r.ReadUInt16() << 16;
            int authDataLength = r.ReadByte();
            r.Skip(10); // reserved; MariaDB keeps its extended capabilities in the last four
            if ((caps & (uint)CapabilityFlags.SecureConnection) != 0)
            {
                int part2 = Math.Max(13, authDataLength - 8);
                nonce2 = r.ReadBytes(Math.Min(part2, r.Remaining)).ToArray();
                // The second part is NUL-terminated; the terminator is not part of the nonce.
                if (nonce2.Length > 0 && nonce2[^1] == 0) Array.Resize(ref nonce2, nonce2.Length - 1);
            }
            if ((caps & (uint)CapabilityFlags.PluginAuth) != 0 && !r.AtEnd)
            {
                plugin = r.ReadStringToEndOrNull();
            }
        }
        byte[] nonce = new byte[nonce1.Length + nonce2.Length];
        nonce1.CopyTo(nonce, 0);
        nonce2.CopyTo(nonce, nonce1.Length);
        return new InitialHandshake(version, connectionId, (CapabilityFlags)caps, nonce, plugin);
    }
}
