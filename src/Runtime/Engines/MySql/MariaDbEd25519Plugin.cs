using System;
using System.Text;
using MySqlConnector.Authentication;
using SchemaBuild.MySqlReplication.Auth;

using SchemaBuild.Runtime.Sessions;

using SchemaBuild.Runtime.Introspection;

namespace SchemaBuild.Runtime.Engines.MySql;

/// <summary>
/// MariaDB's <c>client_ed25519</c> login for MySqlConnector. Kept because no library served to this
/// project implements MariaDB's variant (it signs with the password itself as the secret instead of
/// a 32-byte seed, so standard Ed25519 APIs cannot produce it) and MySqlConnector leaves the plugin
/// to a separate package that is not available; the signer is the one the replication stream uses.
/// </summary>
internal sealed class MariaDbEd25519Plugin : IAuthenticationPlugin3
{
    private const int NonceLength = 32;
    private static readonly object Gate = new();
    private static bool registered;

    public string Name => "client_ed25519";

    /// <summary>Registers the plugin once per process (MySqlConnector refuses a second registration of a name).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (registered)
            {
                return;
            }

            try
            {
                AuthenticationPlugins.Register(new MariaDbEd25519Plugin());
            }
            catch (ArgumentException)
            {
                // The application registered its own client_ed25519 plugin first: keep it.
            }

            registered = true;
        }
    }

    public byte[] CreateResponse(string password, ReadOnlySpan<byte> authenticationData)
    {
        CreateResponseAndPasswordHash(password, authenticationData, out var response, out _);
        return response;
    }

    /// <summary>
    /// The signed nonce, and the password's "hash" as the server stores it (the public key), which
    /// MySqlConnector uses to check the server's TLS certificate fingerprint. MySqlConnector looks up
    /// client_ed25519 only among plugins that provide both.
    /// </summary>
    public void CreateResponseAndPasswordHash(string password, ReadOnlySpan<byte> authenticationData, out byte[] authenticationResponse, out byte[] passwordHash)
    {
        var nonce = authenticationData.Length > NonceLength ? authenticationData.Slice(0, NonceLength) : authenticationData;
        var secret = Encoding.UTF8.GetBytes(password);
        authenticationResponse = Ed25519Signer.Sign(secret, nonce.ToArray());
        passwordHash = Ed25519Signer.PublicKey(secret);
    }
}
