using System;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace SchemaBuild.MySqlReplication.Tls;

/// <summary>Upgrades the socket to TLS and validates the server certificate according to the ssl mode.</summary>
internal static class TlsNegotiator
{
    public static async Task<SslStream> AuthenticateAsync(Stream inner, MySqlConnectionOptions options, CancellationToken cancellationToken)
    {
        X509Certificate2Collection? trusted = null;
        if (options.SslCa is { } caPath && options.SslMode >= MySqlSslMode.VerifyCa)
        {
            trusted = new X509Certificate2Collection();
            try
            {
                trusted.ImportFromPemFile(caPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new AuthenticationException($"Cannot read the TLS CA file '{caPath}': {e.Message}", e);
            }
        }
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var auth = new SslClientAuthenticationOptions
        {
            TargetHost = options.Host,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Validate(options.SslMode, trusted, certificate, errors),
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(auth, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return ssl;
    }

    private static bool Validate(MySqlSslMode mode, X509Certificate2Collection? trusted, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (mode < MySqlSslMode.VerifyCa) return true; // encryption only, as the mode says
        if (certificate is null) return false;
        if (mode == MySqlSslMode.VerifyFull && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0) return true;
        if (trusted is null || trusted.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var cert = new X509Certificate2(certificate);
        return chain.Build(cert);
    }
}
