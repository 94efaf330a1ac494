using System;
using System.Numerics;
using System.Security.Cryptography;

namespace SchemaBuild.MySqlReplication.Auth;

/// <summary>
/// Ed25519 signatures (RFC 8032 section 5.1) on BigInteger arithmetic. Only used
/// once per login, so clarity beats speed. MariaDB's client_ed25519 signs the
/// nonce with the password itself as the secret (the RFC's 32-byte seed is
/// replaced by a password of any length; the rest of the algorithm is unchanged).
/// </summary>
internal static class Ed25519Signer
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
    private static readonly BigInteger D = Mod(-121665 * BigInteger.ModPow(121666, P - 2, P));
    private static readonly BigInteger D2 = Mod(2 * D);
    private static readonly ExtendedPoint BasePoint = CreateBasePoint();

    private readonly record struct ExtendedPoint(BigInteger X, BigInteger Y, BigInteger Z, BigInteger T);

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }

    private static ExtendedPoint CreateBasePoint()
    {
        var y = Mod(4 * BigInteger.ModPow(5, P - 2, P));
        var x = BigInteger.Parse("15112221349535400772501151409588531511454012693041857206046113283949847762202");
        return new ExtendedPoint(x, y, 1, Mod(x * y));
    }

    private static ExtendedPoint Add(ExtendedPoint p, ExtendedPoint q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(p.T * D2 * q.T);
        var d = Mod(2 * p.Z * q.Z);
        var e = b - a;
        var f = d - c;
        var g = d + c;
        var h = b + a;
        return new ExtendedPoint(Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    private static ExtendedPoint Multiply(BigInteger scalar, ExtendedPoint point)
    {
        var result = new ExtendedPoint(0, 1, 1, 0);
        var addend = point;
        while (scalar.Sign > 0)
        {
            if (!scalar.IsEven) result = Add(result, addend);
            addend = Add(addend, addend);
            scalar >>= 1;
        }
        return result;
    }

    private static byte[] Encode(ExtendedPoint point)
    {
        var zInv = BigInteger.ModPow(point.Z, P - 2, P);
        var x = Mod(point.X * zInv);
        var y = Mod(point.Y * zInv);
        byte[] bytes = new byte[32];
        y.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        if (!x.IsEven) bytes[31] |= 0x80;
        return bytes;
    }

    private static BigInteger LittleEndian(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: false);

    private static BigInteger HashToScalar(params byte[][] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        foreach (var part in parts) sha.AppendData(part);
        return LittleEndian(sha.GetHashAndReset()) % L;
    }

    /// <summary>Public key for a secret (a 32-byte seed in RFC 8032; the password for MariaDB).</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> secret)
    {
        byte[] h = SHA512.HashData(secret);
        return Encode(Multiply(ClampedScalar(h), BasePoint));
    }

    private static BigInteger ClampedScalar(byte[] h)
    {
        byte[] a = h.AsSpan(0, 32).ToArray();
        a[0] &= 248;
        a[31] &= 63;
        a[31] |= 64;
        return LittleEndian(a);
    }

    public static byte[] Sign(ReadOnlySpan<byte> secret, byte[] message)
    {
        byte[] h = SHA512.HashData(secret);
        var a = ClampedScalar(h);
        byte[] publicKey = Encode(Multiply(a, BasePoint));
        var r = HashToScalar(h.AsSpan(32, 32).ToArray(), message);
        byte[] encodedR = Encode(Multiply(r, BasePoint));
        var k = HashToScalar(encodedR, publicKey, message);
        var s = (r + k * a) % L;
        byte[] signature = new byte[64];
        encodedR.CopyTo(signature, 0);
        s.TryWriteBytes(signature.AsSpan(32), out _, isUnsigned: true, isBigEndian: false);
        return signature;
    }
}
