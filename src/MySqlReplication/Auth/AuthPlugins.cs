using System;
using System.Text;

namespace SchemaBuild.MySqlReplication.Auth;

/// <summary>First response for each supported authentication plugin.</summary>
internal static class AuthPlugins
{
    public const string Ed25519 = "client_ed25519";
    public const string ClearPassword = "mysql_clear_password";

    public static byte[] InitialResponse(string plugin, string password, ReadOnlySpan<byte> nonce, bool encrypted) => plugin switch
    {
        NativePassword.PluginName => NativePassword.Scramble(password, nonce),
        CachingSha2Password.PluginName => CachingSha2Password.Scramble(password, nonce),
        Ed25519 => Ed25519Signer.Sign(Encoding.UTF8.GetBytes(password), nonce.ToArray()),
        ClearPassword when encrypted => CachingSha2Password.ClearPassword(password),
        ClearPassword => throw new MySqlProtocolException("The server asked for the password in clear over an unencrypted connection; refusing."),
        _ => throw new MySqlProtocolException($"Authentication plugin '{plugin}' is not supported."),
    };

    /// <summary>
    /// The nonce of an auth switch request's data. The password plugins' 20-byte scramble ends with a
    /// NUL terminator; ed25519's nonce is exactly 32 random bytes with none, so its last byte may be a
    /// real zero (one login in 256) and must be kept.
    /// </summary>
    public static byte[] SwitchNonce(string plugin, ReadOnlySpan<byte> data)
    {
        if (plugin != Ed25519 && data.Length > 0 && data[^1] == 0)
        {
            data = data.Slice(0, data.Length - 1);
        }

        return data.ToArray();
    }
}
