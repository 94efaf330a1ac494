using System;
using System.Linq;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Auth;
using SchemaBuild.MySqlReplication.Protocol;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

/// <summary>
/// caching_sha2_password is MySQL-8 only, so it is tested against a fake server
/// that performs the server side of the exchange as documented, including RSA.
/// </summary>
public sealed class AuthenticationFixtureTests
{
    private const string Password = "s3cret-Pässword";

    /// <summary>What a MySQL 8 server does to check a fast-path scramble against its cached SHA256(SHA256(password)).</summary>
    private static bool ServerAcceptsScramble(byte[] scramble, string password, byte[] nonce)
    {
        byte[] stored = SHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        byte[] mask = SHA256.HashData(stored.Concat(nonce).ToArray());
        byte[] candidate = scramble.Select((b, i) => (byte)(b ^ mask[i])).ToArray();
        return SHA256.HashData(candidate).SequenceEqual(stored);
    }

    [Fact]
    public void An_ed25519_nonce_ending_in_a_zero_byte_keeps_it_while_a_scramble_loses_its_terminator()
    {
        // MariaDB's ed25519 sends exactly 32 random bytes; one nonce in 256 ends with 0x00, and
        // dropping it made that login fail with "Access denied".
        byte[] nonce = Enumerable.Range(1, 31).Select(i => (byte)i).Append((byte)0).ToArray();
        Assert.Equal(nonce, AuthPlugins.SwitchNonce(AuthPlugins.Ed25519, nonce));
        byte[] scramble = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        Assert.Equal(scramble, AuthPlugins.SwitchNonce(NativePassword.PluginName, scramble.Append((byte)0).ToArray()));
    }

    [Fact]
    public void Caching_sha2_scramble_verifies_like_the_server_does()
    {
        byte[] scramble = CachingSha2Password.Scramble(Password, ServerPackets.Nonce);
        Assert.Equal(32, scramble.Length);
        Assert.True(ServerAcceptsScramble(scramble, Password, ServerPackets.Nonce));
        Assert.False(ServerAcceptsScramble(scramble, "other", ServerPackets.Nonce));
    }

    [Fact]
    public async Task Caching_sha2_fast_path_succeeds()
    {
        await using var server = new FakeServer(async c =>
        {
            await c.SendPacketAsync(ServerPackets.Handshake("caching_sha2_password"));
            var response = await c.ReceivePacketAsync();
            Assert.True(response.Length > 32);
            await c.SendPacketAsync(new byte[] { 1, 3 });
            await c.SendPacketAsync(ServerPackets.Ok());
            await c.ReceivePacketAsync();
        });
        await using var connection = await ServerSession.ConnectAsync(server.Options(Password));
        Assert.Equal("caching_sha2_password", connection.AuthPlugin);
        Assert.Null(server.ScriptError);
    }

    [Fact]
    public async Task Caching_sha2_full_authentication_uses_the_servers_rsa_key()
    {
        using var rsa = RSA.Create(2048);
        string pem = rsa.ExportSubjectPublicKeyInfoPem();
        string? decrypted = null;
        await using var server = new FakeServer(async c =>
        {
            await c.SendPacketAsync(ServerPackets.Handshake("caching_sha2_password"));
            await c.ReceivePacketAsync();
            await c.SendPacketAsync(new byte[] { 1, 4 }); // perform full authentication
            var request = await c.ReceivePacketAsync();
            Assert.Equal(new byte[] { 2 }, request); // request public key
            await c.SendPacketAsync(new byte[] { 1 }.Concat(Encoding.ASCII.GetBytes(pem)).ToArray());
            var encrypted = await c.ReceivePacketAsync();
            byte[] plain = rsa.Decrypt(encrypted, RSAEncryptionPadding.OaepSHA1);
            for (int i = 0; i < plain.Length; i++) plain[i] ^= ServerPackets.Nonce[i % ServerPackets.Nonce.Length];
            decrypted = Encoding.UTF8.GetString(plain);
            await c.SendPacketAsync(decrypted == Password + "\0" ? ServerPackets.Ok() : ServerPackets.Error(1045, "28000", "Access denied"));
            await c.ReceivePacketAsync();
        });
        await using var connection = await ServerSession.ConnectAsync(server.Options(Password));
        Assert.Null(server.ScriptError);
        Assert.Equal(Password + "\0", decrypted);
    }

    [Fact]
    public async Task Caching_sha2_full_authentication_without_tls_or_key_retrieval_is_refused()
    {
        await using var server = new FakeServer(async c =>
        {
            await c.SendPacketAsync(ServerPackets.Handshake("caching_sha2_password"));
            await c.ReceivePacketAsync();
            await c.SendPacketAsync(new byte[] { 1, 4 });
            await c.ReceivePacketAsync();
        });
        var options = server.Options(Password);
        options = new MySqlConnectionOptions
        {
            Host = options.Host, Port = options.Port, User = options.User, Password = Password, SslMode = MySqlSslMode.Disabled,
            AllowPublicKeyRetrieval = false, ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        var e = await Assert.ThrowsAsync<AuthenticationException>(() => ServerSession.ConnectAsync(options));
        Assert.DoesNotContain(Password, e.ToString());
    }

    [Fact]
    public async Task Auth_switch_to_native_password_uses_the_new_nonce()
    {
        byte[] newNonce = "ABCDEFGHIJKLMNOPQRST"u8.ToArray();
        byte[]? answer = null;
        await using var server = new FakeServer(async c =>
        {
            await c.SendPacketAsync(ServerPackets.Handshake("caching_sha2_password"));
            await c.ReceivePacketAsync();
            await c.SendPacketAsync(new byte[] { 0xFE }.Concat("mysql_native_password\0"u8.ToArray()).Concat(newNonce).Concat(new byte[] { 0 }).ToArray());
            answer = await c.ReceivePacketAsync();
            await c.SendPacketAsync(ServerPackets.Ok());
            await c.ReceivePacketAsync();
        });
        await using var connection = await ServerSession.ConnectAsync(server.Options(Password));
        Assert.Equal("mysql_native_password", connection.AuthPlugin);
        Assert.Equal(NativePassword.Scramble(Password, newNonce), answer);
    }

    [Fact]
    public async Task Server_asking_for_clear_password_without_tls_is_refused()
    {
        await using var server = new FakeServer(async c =>
        {
            await c.SendPacketAsync(ServerPackets.Handshake());
            await c.ReceivePacketAsync();
            await c.SendPacketAsync(new byte[] { 0xFE }.Concat("mysql_clear_password\0"u8.ToArray()).ToArray());
            await c.ReceivePacketAsync();
        });
        var e = await Assert.ThrowsAsync<MySqlProtocolException>(() => ServerSession.ConnectAsync(server.Options(Password)));
        Assert.DoesNotContain(Password, e.ToString());
    }

    [Fact]
    public void Native_password_scramble_matches_the_documented_formula()
    {
        byte[] nonce = ServerPackets.Nonce;
        byte[] stage1 = SHA1.HashData(Encoding.UTF8.GetBytes(Password));
        byte[] stage2 = SHA1.HashData(stage1);
        byte[] mask = SHA1.HashData(nonce.Concat(stage2).ToArray());
        byte[] expected = stage1.Select((b, i) => (byte)(b ^ mask[i])).ToArray();
        Assert.Equal(expected, NativePassword.Scramble(Password, nonce));
        Assert.Empty(NativePassword.Scramble("", nonce));
    }

    // RFC 8032 section 7.1, tests 1-3.
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    [InlineData("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")]
    public void Ed25519_matches_rfc8032_vectors(string secret, string publicKey, string message, string signature)
    {
        byte[] seed = Convert.FromHexString(secret);
        Assert.Equal(publicKey, Convert.ToHexString(Ed25519Signer.PublicKey(seed)).ToLowerInvariant());
        Assert.Equal(signature, Convert.ToHexString(Ed25519Signer.Sign(seed, Convert.FromHexString(message))).ToLowerInvariant());
    }
}
