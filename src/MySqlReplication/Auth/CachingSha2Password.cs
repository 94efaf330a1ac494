using System;
using System.Security.Cryptography;
using System.Text;

namespace SchemaBuild.MySqlReplication.Auth;

/// <summary>
/// caching_sha2_password. The fast path proves knowledge of the password with a
/// SHA-256 scramble; full authentication sends the password itself, either in
/// clear inside TLS or RSA-OAEP encrypted with the server's public key.
/// </summary>
internal static class CachingSha2Password
{
    public const string PluginName = "caching_sha2_password";
    public const byte RequestPublicKey = 0x02;
    public const byte FastAuthSuccess = 0x03;
    public const byte PerformFullAuthentication = 0x04;

    /// <summary>XOR(SHA256(password), SHA256(SHA256(SHA256(password)) + nonce)).</summary>
    public static byte[] Scramble(string password, ReadOnlySpan<byte> nonce)
    {
        if (password.Length == 0) return Array.Empty<byte>();
        byte[] p1 = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        byte[] p2 = SHA256.HashData(p1);
        byte[] salted = new byte[p2.Length + nonce.Length];
        p2.CopyTo(salted, 0);
        nonce.CopyTo(salted.AsSpan(p2.Length));
        byte[] p3 = SHA256.HashData(salted);
        for (int i = 0; i < p1.Length; i++) p1[i] ^= p3[i];
        return p1;
    }

    /// <summary>The password, NUL-terminated, for full authentication over TLS.</summary>
    public static byte[] ClearPassword(string password)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(password) + 1];
        Encoding.UTF8.GetBytes(password, bytes);
        return bytes;
    }

    /// <summary>RSA-OAEP(SHA-1) of (password + NUL) XOR the nonce, as MySQL 8 expects.</summary>
    public static byte[] EncryptPassword(string password, ReadOnlySpan<byte> nonce, string publicKeyPem)
    {
        byte[] plain = ClearPassword(password);
        for (int i = 0; i < plain.Length; i++) plain[i] ^= nonce[i % nonce.Length];
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(publicKeyPem);
        }
        catch (ArgumentException e)
        {
            throw new MySqlProtocolException("The server's RSA public key is not valid PEM.", innerException: e);
        }
        return rsa.Encrypt(plain, RSAEncryptionPadding.OaepSHA1);
    }
}
