using System;
using System.Security.Cryptography;
using System.Text;

namespace SchemaBuild.MySqlReplication.Auth;

/// <summary>mysql_native_password: SHA1(password) XOR SHA1(nonce + SHA1(SHA1(password))).</summary>
internal static class NativePassword
{
    public const string PluginName = "mysql_native_password";

    public static byte[] Scramble(string password, ReadOnlySpan<byte> nonce)
    {
        if (password.Length == 0) return Array.Empty<byte>();
        byte[] stage1 = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        byte[] stage2 = SHA1.HashData(stage1);
        byte[] salted = new byte[nonce.Length + stage2.Length];
        nonce.CopyTo(salted);
        stage2.CopyTo(salted, nonce.Length);
        byte[] result = SHA1.HashData(salted);
        for (int i = 0; i < result.Length; i++) result[i] ^= stage1[i];
        return result;
    }
}
