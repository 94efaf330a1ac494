namespace SchemaBuild.MySqlReplication;

/// <summary>How the client uses TLS, with the same meaning as the mysql client's --ssl-mode.</summary>
public enum MySqlSslMode
{
    /// <summary>Never use TLS.</summary>
    Disabled,
    /// <summary>Use TLS when the server offers it; do not validate the certificate.</summary>
    Preferred,
    /// <summary>Require TLS; do not validate the certificate.</summary>
    Required,
    /// <summary>Require TLS and a certificate chaining to the trusted CA.</summary>
    VerifyCa,
    /// <summary>As VerifyCa, and the certificate must name the host.</summary>
    VerifyFull,
}
